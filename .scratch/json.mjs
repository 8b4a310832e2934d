const n = 1440, S = 10;
const series = Array.from({ length: S }, () => Array.from({ length: n }, (_, i) => (i % 97 === 0 ? null : Math.random() * 1e5)));
const repr = (v) => { const m = Math.abs(v); if (m >= 1e-4 && m < 1e16) return Number.isInteger(v) ? `${v}.0` : String(v); return 'x'; };
function a(vals) { let p = ''; let c = 0; for (let i = 0, t = 1700000000; i < vals.length; i++, t += 60) { const v = vals[i]; p += `${c++ ? ', [' : '['}${v === null ? 'null' : repr(v)}, ${t}]`; } return p; }
function b(vals) { const parts = new Array(vals.length); for (let i = 0, t = 1700000000; i < vals.length; i++, t += 60) { const v = vals[i]; parts[i] = '[' + (v === null ? 'null' : repr(v)) + ', ' + t + ']'; } return parts.join(', '); }
function c(vals) { let p = '['; for (let i = 0, t = 1700000000; i < vals.length; i++, t += 60) { const v = vals[i]; if (i) p += '], ['; p += v === null ? 'null' : repr(v); p += ', '; p += t; } return p + ']'; }
function d(vals) { let p = ''; for (let i = 0; i < vals.length; i++) { const v = vals[i]; p += v === null ? 'null' : String(v); } return p; }
for (const [name, f] of [['template', a], ['join', b], ['concat', c], ['stringsOnly', d], ['template', a]]) { for (let k = 0; k < 50; k++) series.map(f).join(', ').length; const t0 = process.hrtime.bigint(); for (let k = 0; k < 200; k++) series.map(f).join(', ').length; console.log(name, (Number(process.hrtime.bigint() - t0) / 200 / 1e6).toFixed(3), 'ms'); }
