// A tiny real HTTP server speaking the target-app's contract with fixed data, for runs that must
// not depend on target-app (or must misbehave on purpose: `failWith` answers every request with it).
// Like target-app it answers 400 to filter values outside its vocabulary, so journey drift shows.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

type Car = {
  id: number;
  make: string;
  model: string;
  bodyType: string;
  fuel: string;
  price: number;
  year: number;
};

const makes = ['Audi', 'BMW', 'Ford', 'Toyota', 'Volvo'];
const bodyTypes = ['hatchback', 'sedan', 'estate', 'suv', 'coupe', 'convertible', 'van', 'pickup'];
const fuels = ['petrol', 'diesel', 'hybrid', 'plugin_hybrid', 'electric'];

const cars: Car[] = Array.from({ length: 200 }, (_, i) => ({
  id: i + 1,
  make: makes[i % makes.length]!,
  model: `Model ${i % 7}`,
  bodyType: bodyTypes[i % bodyTypes.length]!,
  fuel: fuels[i % fuels.length]!,
  price: 5000 + ((i * 997) % 60000),
  year: 2008 + (i % 17),
}));

function search(q: URLSearchParams): { items: Car[]; total: number; page: number; pageSize: number } {
  const num = (k: string): number | undefined => (q.has(k) ? Number(q.get(k)) : undefined);
  const [minPrice, maxPrice, minYear, maxYear] = [
    num('minPrice'),
    num('maxPrice'),
    num('minYear'),
    num('maxYear'),
  ];
  const hits = cars.filter(
    (c) =>
      (!q.get('make') || c.make === q.get('make')) &&
      (!q.get('bodyType') || c.bodyType === q.get('bodyType')) &&
      (!q.get('fuel') || c.fuel === q.get('fuel')) &&
      (minPrice === undefined || c.price >= minPrice) &&
      (maxPrice === undefined || c.price <= maxPrice) &&
      (minYear === undefined || c.year >= minYear) &&
      (maxYear === undefined || c.year <= maxYear),
  );
  const page = Math.max(1, num('page') ?? 1);
  const pageSize = Math.min(100, Math.max(1, num('pageSize') ?? 20));
  return { items: hits.slice((page - 1) * pageSize, page * pageSize), total: hits.length, page, pageSize };
}

export type CarApiServer = { url: string; requests: () => number; close: () => Promise<void> };

export async function startCarApiServer(opts: { failWith?: number } = {}): Promise<CarApiServer> {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (opts.failWith) return send(opts.failWith, { error: 'failing on purpose' });
    if (req.method !== 'GET') return send(405, { error: 'method not allowed' });
    if (url.pathname === '/health') return send(200, { status: 'ok' });
    if (url.pathname === '/api/makes') return send(200, { makes });
    if (url.pathname === '/api/recommendations') {
      const ids = (url.searchParams.get('carIds') ?? '').split(',').map(Number);
      const seeds = cars.filter((c) => ids.includes(c.id));
      const items = cars
        .filter((c) => !ids.includes(c.id) && seeds.some((s) => s.bodyType === c.bodyType))
        .slice(0, Number(url.searchParams.get('limit') ?? 10))
        .map((c) => ({ ...c, score: 1 }));
      return send(200, { basis: seeds.length > 0 ? 'profile' : 'popular', items });
    }
    if (url.pathname === '/api/cars') {
      const q = url.searchParams;
      const outside = (key: string, allowed: readonly string[]): boolean =>
        q.has(key) && !allowed.includes(q.get(key) ?? '');
      if (outside('bodyType', bodyTypes) || outside('fuel', fuels))
        return send(400, { error: 'invalid query' });
      return send(200, search(q));
    }
    const m = /^\/api\/cars\/([1-9]\d*)$/.exec(url.pathname);
    if (m) {
      const car = cars.find((c) => c.id === Number(m[1]));
      return car ? send(200, car) : send(404, { error: 'car not found' });
    }
    return send(404, { error: 'not found' });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
