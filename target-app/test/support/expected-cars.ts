// The search filters applied in memory to generated cars: what the database must return.
import type { Car } from '../../src/cars/generate.ts';
import type { CarFilters } from '../../src/db/car-sql.ts';

export function matches(c: Car, f: CarFilters): boolean {
  return (
    (f.make === undefined || c.make === f.make) &&
    (f.model === undefined || c.model === f.model) &&
    (f.bodyType === undefined || c.bodyType === f.bodyType) &&
    (f.fuel === undefined || c.fuel === f.fuel) &&
    (f.transmission === undefined || c.transmission === f.transmission) &&
    (f.city === undefined || c.city === f.city) &&
    (f.minPrice === undefined || c.price >= f.minPrice) &&
    (f.maxPrice === undefined || c.price <= f.maxPrice) &&
    (f.minYear === undefined || c.year >= f.minYear) &&
    (f.maxYear === undefined || c.year <= f.maxYear) &&
    (f.minMileage === undefined || c.mileageKm >= f.minMileage) &&
    (f.maxMileage === undefined || c.mileageKm <= f.maxMileage)
  );
}
