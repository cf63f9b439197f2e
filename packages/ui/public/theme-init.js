// Applies the saved theme before the app loads, so a dark page never flashes light.
// A plain file (not inline) because the Content-Security-Policy allows only 'self' scripts.
(function () {
  try {
    var saved = localStorage.getItem('pyflare.theme') || 'system';
    var dark =
      saved === 'dark' ||
      (saved === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  } catch {
    document.documentElement.dataset.theme = 'light';
  }
})();
