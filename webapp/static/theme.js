// Light or dark as the MAX client says. MAX's bridge documents no colour scheme today, so this
// reads one only where a client offers it (`WebApp.colorScheme`, as other messengers' bridges
// do, and a theme-changed event) and sets <html data-scheme>; when it says nothing, app.css
// follows prefers-color-scheme. A classic script right after MAX's bridge script: it runs before
// the first paint, so the page never flashes the other scheme.
(function () {
  var root = document.documentElement;
  function bridge() { return window.WebApp || null; }
  function apply(scheme) {
    if (scheme === "light" || scheme === "dark") root.dataset.scheme = scheme;
    else delete root.dataset.scheme;
  }
  function fromBridge() {
    var app = bridge();
    try { return app && (app.colorScheme || (app.themeParams && app.themeParams.colorScheme)); }
    catch (e) { return undefined; }
  }
  apply(fromBridge());
  var app = bridge();
  if (app && typeof app.onEvent === "function") {
    var follow = function (event) { apply((event && event.colorScheme) || fromBridge()); };
    ["themeChanged", "WebAppThemeChanged"].forEach(function (name) {
      try { app.onEvent(name, follow); } catch (e) { /* an older client without this event */ }
    });
  }
})();
