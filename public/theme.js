// Applies the reader's saved theme before first paint (a file, not inline, so the CSP needs no hash).
try {
  var t = localStorage.getItem('theme');
  if (t === 'dark' || t === 'light') document.documentElement.dataset.theme = t;
} catch {
  // storage blocked: follow the system theme
}
