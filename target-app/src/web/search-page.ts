// The car search page (GET /): a server-rendered form and a grid of placeholder cards the size of
// real ones, filled by a small script from /api/cars. The placeholders hold the layout still while
// results arrive, as a production page would do to keep its layout shift low.
import { BODY_TYPES, FUELS } from '../cars/catalog.ts';
import { escapeHtml, type RenderedPage, renderPage } from './page-shell.ts';

export const SEARCH_PAGE_SIZE = 12;

const options = (values: readonly string[], empty: string) =>
  [`<option value="">${empty}</option>`]
    .concat(values.map((v) => `<option value="${escapeHtml(v)}">${escapeHtml(v.replace('_', ' '))}</option>`))
    .join('');

const skeleton =
  '<li class="card skeleton"><div class="thumb"></div><div class="line"></div><div class="line"></div><div class="line"></div></li>';

const BODY = `
<h1>Find your next car</h1>
<form class="search" role="search" action="/" method="get">
  <input name="q" type="search" placeholder="Make, model or feature" aria-label="Free text" maxlength="100">
  <input name="make" list="makes" placeholder="Make" aria-label="Make" maxlength="50">
  <select name="bodyType" aria-label="Body type">${options(BODY_TYPES, 'Any body')}</select>
  <select name="fuel" aria-label="Fuel">${options(FUELS, 'Any fuel')}</select>
  <input name="maxPrice" type="number" min="0" step="1000" placeholder="Max price (EUR)" aria-label="Maximum price">
  <button type="submit">Search</button>
  <datalist id="makes"></datalist>
</form>
<p class="summary" aria-live="polite">Searching…</p>
<ul class="results" aria-label="Search results">${skeleton.repeat(SEARCH_PAGE_SIZE)}</ul>
<div class="pager"><button type="button" data-next hidden>More cars</button></div>
`;

// Reads the form from the URL, asks the API for one page, replaces the placeholders; "More cars"
// follows the keyset cursor. Filters the API rejects are shown as its field messages.
const SCRIPT = `
const form=document.querySelector('form.search');const list=document.querySelector('.results');
const summary=document.querySelector('.summary');const more=document.querySelector('[data-next]');
const params=new URLSearchParams(location.search);
for(const [k,v] of params){const field=form.elements.namedItem(k);if(field&&'value' in field)field.value=v}
let cursor=null;
function query(){const q=new URLSearchParams();for(const [k,v] of new FormData(form)){if(String(v).trim()!=='')q.set(k,String(v).trim())}
q.set('pageSize','${SEARCH_PAGE_SIZE}');return q}
async function search(append){const q=query();if(append&&cursor)q.set('cursor',cursor);else q.set('facets','true');
try{const found=await getJson('/api/cars?'+q);cursor=found.nextCursor;
if(!append){list.replaceChildren();summary.textContent=(found.totalRelation==='gte'?'More than ':'')+km.format(found.total)+' cars found'}
list.append(...found.items.map(card));more.hidden=cursor===null;
if(!append&&found.items.length===0)summary.textContent='No cars match: try fewer filters.'}
catch(e){list.replaceChildren();summary.textContent='Search failed: '+e.message;summary.classList.add('error')}}
form.addEventListener('submit',(event)=>{event.preventDefault();history.replaceState(null,'','/?'+new URLSearchParams([...new FormData(form)].filter(([,v])=>String(v)!=='')));search(false)});
more.addEventListener('click',()=>search(true));
search(false);
getJson('/api/makes').then((m)=>{const d=document.getElementById('makes');d.append(...m.makes.map((name)=>{const o=el('option');o.value=name;return o}))}).catch(()=>{});
`;

let rendered: RenderedPage | undefined;

/** The page is the same for every request (filters are read by the script): render it once. */
export function searchPage(): RenderedPage {
  rendered ??= renderPage('Search used cars', BODY, SCRIPT);
  return rendered;
}
