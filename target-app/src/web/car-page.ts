// One car's page (GET /cars/:id): a server-rendered frame of fixed size, filled from /api/cars/:id,
// with similar cars below from /api/cars/:id/similar.
import { type RenderedPage, renderPage } from './page-shell.ts';

const BODY = `
<p><a href="/">← Back to search</a></p>
<article class="detail" aria-busy="true">
  <div class="thumb skeleton"></div>
  <div><h1>Loading…</h1><p class="price"></p><p class="meta"></p><ul class="features" aria-label="Equipment"></ul></div>
</article>
<h2>Similar cars</h2>
<ul class="results similar" aria-label="Similar cars"></ul>
`;

// The id comes from the path the server already validated; the script reads it from a data
// attribute rather than from a string spliced into the script, so the script (and its CSP hash)
// is the same for every car.
const SCRIPT = `
const article=document.querySelector('.detail');const id=document.body.dataset.carId;
async function show(){try{const car=await getJson('/api/cars/'+id);document.title=car.year+' '+car.make+' '+car.model+' · CarSuggester';
const info=el('div');info.append(el('h1',null,car.year+' '+car.make+' '+car.model),el('p','price',eur.format(car.price)),
el('p','meta',km.format(car.mileageKm)+' km · '+car.fuel.replace('_',' ')+' · '+car.transmission+' · '+car.bodyType+' · '+car.colour),
el('p','meta','Dealer '+car.dealerId+', '+car.city+' · saved by '+car.favouriteCount));
const features=el('ul','features');features.append(...car.features.map((f)=>el('li',null,f.replaceAll('_',' '))));info.append(features);
article.replaceChildren(thumb(car),info);article.removeAttribute('aria-busy');
const similar=await getJson('/api/cars/'+id+'/similar?limit=4');document.querySelector('.similar').append(...similar.items.map(card))}
catch(e){const h=el('h1','error',e.message);article.replaceChildren(h);article.removeAttribute('aria-busy')}}
show();
`;

let rendered: RenderedPage | undefined;

export function carPage(id: number): RenderedPage {
  rendered ??= renderPage('Car details', BODY, SCRIPT);
  // The only per-request part: a whole number, so no escaping question arises.
  return { ...rendered, html: rendered.html.replace('<body>', `<body data-car-id="${id}">`) };
}
