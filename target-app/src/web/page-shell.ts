// The HTML shell every page shares: head, header, one stylesheet and one script, both inline (no
// external assets, so a page load costs one document request plus the page's own API calls).
// A Content-Security-Policy allows exactly those inline blocks, by hash.
import { createHash } from 'node:crypto';

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1c2430;background:#f4f6f9}
header{background:#14315c;color:#fff;padding:12px 24px;display:flex;align-items:center;gap:16px;min-height:56px}
header a{color:#fff;text-decoration:none;font-weight:700;font-size:20px}
main{max-width:1120px;margin:0 auto;padding:24px}
h1{font-size:28px;margin:0 0 16px}
form.search{display:grid;grid-template-columns:2fr repeat(4,1fr) auto;gap:8px;margin-bottom:16px}
form.search input,form.search select,form.search button{font:inherit;padding:8px;border:1px solid #b8c2d0;border-radius:6px;min-width:0}
form.search button{background:#1f6feb;color:#fff;border-color:#1f6feb;cursor:pointer}
.summary{min-height:24px;margin:0 0 12px;color:#4a5566}
.results{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:16px;list-style:none;padding:0;margin:0}
.card{background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.12);height:268px;overflow:hidden;display:flex;flex-direction:column}
.card a{color:inherit;text-decoration:none;display:flex;flex-direction:column;height:100%}
.thumb{height:120px;flex:none}
.card .body{padding:10px 12px}
.card h2{font-size:17px;margin:0 0 4px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.price{font-size:20px;font-weight:700;color:#14315c}
.meta{color:#4a5566;font-size:14px}
.skeleton .thumb,.skeleton .line{background:#e3e8ef}
.skeleton .line{height:14px;margin:10px 12px;border-radius:4px}
.pager{display:flex;gap:8px;justify-content:center;margin:20px 0;min-height:40px}
.pager button{font:inherit;padding:8px 16px}
.detail{display:grid;grid-template-columns:1fr 1fr;gap:24px;background:#fff;border-radius:8px;padding:24px;min-height:360px}
.detail .thumb{height:240px;border-radius:8px}
.features{display:flex;flex-wrap:wrap;gap:6px;padding:0;list-style:none}
.features li{background:#e8eef8;border-radius:12px;padding:2px 10px;font-size:14px}
.error{color:#a40e26}
@media (max-width:720px){form.search{grid-template-columns:1fr 1fr}.detail{grid-template-columns:1fr}}
`;

/** Shared by both pages' scripts: formatting and the card a car is shown as. */
export const SHARED_SCRIPT = `
const COLOURS={black:'#222',white:'#eceff3',silver:'#c4cad3',grey:'#7d8590',blue:'#2f5fb3',red:'#b3302f',green:'#2f7d4a',brown:'#7a5330',yellow:'#e0b32e',orange:'#e07a2e'};
const eur=new Intl.NumberFormat('en-IE',{style:'currency',currency:'EUR',maximumFractionDigits:0});
const km=new Intl.NumberFormat('en-IE');
function el(tag,cls,text){const e=document.createElement(tag);if(cls)e.className=cls;if(text!==undefined)e.textContent=text;return e}
function thumb(car){const t=el('div','thumb');t.style.background='linear-gradient(160deg,'+(COLOURS[car.colour]||'#888')+' 55%,#d9dee6 55%)';t.setAttribute('role','img');t.setAttribute('aria-label',car.colour+' '+car.bodyType);return t}
function card(car){const li=el('li','card');const a=el('a');a.href='/cars/'+car.id;a.append(thumb(car));const b=el('div','body');
b.append(el('h2',null,car.year+' '+car.make+' '+car.model),el('div','price',eur.format(car.price)),
el('div','meta',km.format(car.mileageKm)+' km · '+car.fuel.replace('_',' ')+' · '+car.transmission),el('div','meta',car.city));a.append(b);li.append(a);return li}
async function getJson(url){const r=await fetch(url,{headers:{accept:'application/json'}});const body=await r.json();if(!r.ok)throw new Error(body.error||('HTTP '+r.status));return body}
`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
const STYLE_HASH = sha256(STYLE);

export type RenderedPage = { html: string; csp: string };

/** `title` and `body` must already be escaped; `script` runs after the body is parsed. */
export function renderPage(title: string, body: string, script: string): RenderedPage {
  const fullScript = `${SHARED_SCRIPT}\n${script}`;
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · CarSuggester</title>
<meta name="description" content="Search used cars by make, model, price, year and body type.">
<style>${STYLE}</style>
</head>
<body>
<header><a href="/">CarSuggester</a><span>Used cars across Europe</span></header>
<main>
${body}
</main>
<script>${fullScript}</script>
</body>
</html>
`;
  const csp = [
    "default-src 'none'",
    `style-src ${STYLE_HASH}`,
    `script-src ${sha256(fullScript)}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, csp };
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}
