// The live log's position, asked for before the bundle loads: every snapshot and tile the page takes later reflects
// at least this position, so the hub can replay everything after it (see src/app.ts, head()). A separate file, not an
// inline script: the server's Content-Security-Policy allows scripts from 'self' only. Null when nobody is signed in.
window.__situationMapHead = fetch('/api/patrol-units?limit=1', { headers: { Accept: 'application/geo+json' }, credentials: 'same-origin' })
  .then((r) => (r.ok ? r.json() : null)).then((fc) => (fc ? fc.change_seq : null)).catch(() => null);
