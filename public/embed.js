/* embed.js: the <ebs-kms-playground> custom element that documentation pages paste, version 1.
   It creates the playground's iframe (the app next to this file, so it works from any
   sub-path), hands it a script (inline, a child <pre>, or a same-site `src` file) in the
   #script= fragment, follows the host page's theme live, sizes the frame to its content and
   speaks the versioned postMessage protocol (README, "Embed it in your docs"). No
   dependencies, no request leaves the site. */
(function () {
  'use strict';
  if (!window.customElements || customElements.get('ebs-kms-playground')) return;
  var PROTOCOL = 'ebs-kms-playground';
  var VERSION = 1;
  var self = document.currentScript;
  if (!self || !self.src) self = document.querySelector('script[src*="embed.js"]');
  var APP = new URL('./', self && self.src ? self.src : location.href);
  var DARK = ['dark', 'theme-dark', 'coal', 'navy', 'ayu'];
  var widgets = new Set();
  var media = window.matchMedia ? matchMedia('(prefers-color-scheme: dark)') : null;

  /* The host page's theme: data-theme on <html> or <body> (Docusaurus, many themes), MkDocs
     Material's data-md-color-scheme, class="dark" (or mdBook's dark themes), else the browser. */
  function hostTheme() {
    var html = document.documentElement, body = document.body;
    var t = (html.getAttribute('data-theme') || (body && body.getAttribute('data-theme')) || '').toLowerCase();
    if (t === 'dark' || t === 'light') return t;
    var md = body && body.getAttribute('data-md-color-scheme');
    if (md) return md === 'slate' ? 'dark' : 'light';
    for (var i = 0; i < DARK.length; i++) if (html.classList.contains(DARK[i])) return 'dark';
    if (html.classList.contains('light')) return 'light';
    return media && media.matches ? 'dark' : 'light';
  }

  function dedent(text) {
    var lines = text.replace(/\r\n?/g, '\n').split('\n');
    while (lines.length && !lines[0].trim()) lines.shift();
    while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
    var indent = Infinity;
    lines.forEach(function (l) { if (l.trim()) indent = Math.min(indent, l.match(/^[ \t]*/)[0].length); });
    if (!isFinite(indent)) indent = 0;
    return lines.map(function (l) { return l.slice(indent); }).join('\n') + '\n';
  }

  /* The title of a script: a `# title:` line, else its first comment line. */
  function scriptTitle(text) {
    var lines = (text || '').split('\n');
    for (var i = 0; i < lines.length; i++) {
      var l = lines[i].trim();
      if (!l) continue;
      if (l.charAt(0) !== '#') break;
      if (/^#!|^# ebs-kms-playground script|^#\s*seed\s*:/.test(l)) continue;
      var c = l.replace(/^#\s*/, '');
      var m = c.match(/^title:\s*(.+)$/);
      if (m) return m[1];
      if (c) return c;
    }
    return '';
  }

  var CSS =
    ':host{display:block;margin:1em 0}' +
    'iframe{display:block;width:100%;border:1px solid var(--ebs-kms-border,#c8ced6);border-radius:6px;background:transparent}' +
    '.ph{display:flex;flex-direction:column;align-items:flex-start;justify-content:center;gap:.4em;box-sizing:border-box;width:100%;' +
    'padding:1em 1.2em;border:1px dashed var(--ebs-kms-border,#c8ced6);border-radius:6px;background:transparent;color:inherit;font:inherit;text-align:left;cursor:pointer}' +
    '.ph:hover,.ph:focus-visible{border-style:solid}.ph strong{font-size:1.05em}.ph span{opacity:.75;font-size:.9em}' +
    '.err{padding:.8em 1em;border:1px solid #d55e00;border-radius:6px;color:#b84a00}';

  class Playground extends HTMLElement {
    static get observedAttributes() {
      return ['script', 'src', 'view', 'theme', 'height', 'autoplay', 'step', 'provider'];
    }
  }

  var P = Playground.prototype;

  P.connectedCallback = function () {
    var me = this;
    widgets.add(this);
    if (this._root) return;
    // While the page is still being parsed the element's children (an inline <pre>) are not
    // there yet: start once they are.
    if (document.readyState === 'loading') {
      if (!this._waiting) {
        this._waiting = true;
        document.addEventListener('DOMContentLoaded', function () { if (me.isConnected) me.connectedCallback(); });
      }
      return;
    }
    this._root = this.attachShadow({ mode: 'open' });
    // Inline text (a child <script type="text/plain"> or <pre>) is read once; it stays as the
    // no-JavaScript fallback in the light DOM, which the shadow root does not show.
    var child = this.querySelector('script[type="text/plain"],pre');
    this._inline = child ? dedent(child.textContent) : '';
    var mode = (this.getAttribute('loading') || 'eager').toLowerCase();
    if (mode === 'lazy' || mode === 'click') this._placeholder(mode === 'lazy');
    else this._load();
  };

  P.disconnectedCallback = function () {
    widgets.delete(this);
    if (this._io) this._io.disconnect();
  };

  P.attributeChangedCallback = function (name, old, value) {
    if (!this._frame || old === value) return;
    if (name === 'theme') this._sendTheme();
    else if (name === 'step') this.step(Number(value));
    else this._load();
  };

  P._title = function (script) {
    var view = this.getAttribute('view') || '';
    var scenario = (view.match(/scenario:([\w-]+)/) || [])[1];
    return this.getAttribute('title') || scriptTitle(script) ||
      (scenario ? scenario.replace(/-/g, ' ') : '') || 'EBS & KMS encryption playground';
  };

  P._height = function () {
    var h = (this.getAttribute('height') || 'auto').trim();
    return /^\d+(\.\d+)?$/.test(h) ? Number(h) : null;
  };

  P._placeholder = function (onView) {
    var me = this;
    var b = document.createElement('button');
    b.className = 'ph';
    b.type = 'button';
    var t = document.createElement('strong');
    t.textContent = this._title(this.getAttribute('script') || this._inline);
    var s = document.createElement('span');
    s.textContent = '\u25B6 Load the interactive diagram (runs in your browser)';
    b.append(t, s);
    b.style.minHeight = (this._height() || 160) + 'px';
    b.addEventListener('click', function () { me._load(); });
    this._root.replaceChildren(style(), b);
    if (onView && window.IntersectionObserver) {
      this._io = new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) me._load();
      }, { rootMargin: '200px' });
      this._io.observe(this);
    }
  };

  P._error = function (text) {
    var d = document.createElement('div');
    d.className = 'err';
    d.setAttribute('role', 'alert');
    d.textContent = text;
    this._root.replaceChildren(style(), d);
  };

  P._load = function () {
    var me = this;
    if (this._io) { this._io.disconnect(); this._io = null; }
    var src = this.getAttribute('src');
    var inline = this.getAttribute('script');
    if (inline != null) return this._frameFor(dedent(inline));
    if (!src) return this._frameFor(this._inline || '');
    var url = new URL(src, document.baseURI);
    if (url.origin !== location.origin) {
      return this._error('ebs-kms-playground: src must be a file on this site (' + url.href + ').');
    }
    fetch(url.href).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.text();
    }).then(function (text) { me._frameFor(text); }, function (e) {
      me._error('ebs-kms-playground: the script ' + url.pathname + ' could not be loaded (' + e.message + ').');
    });
  };

  P._themeNow = function () {
    var t = (this.getAttribute('theme') || 'auto').toLowerCase();
    return t === 'light' || t === 'dark' ? t : hostTheme();
  };

  P._frameFor = function (script) {
    var q = new URLSearchParams();
    var view = (this.getAttribute('view') || 'diagram').trim().split(/[\s,]+/).filter(Boolean).join(',');
    q.set('embed', view || 'diagram');
    q.set('theme', this._themeNow());
    var fixed = this._height();
    if (fixed == null) q.set('height', 'auto');
    if (this.hasAttribute('autoplay') && this.getAttribute('autoplay') !== 'false') q.set('autoplay', '');
    var step = this.getAttribute('step');
    if (step != null && /^\d+$/.test(step.trim())) q.set('step', step.trim());
    var provider = this.getAttribute('provider');
    if (provider) q.set('provider', provider);
    var url = new URL('./', APP);
    url.search = q.toString().replace(/autoplay=(&|$)/, 'autoplay$1');
    if (script.trim()) url.hash = 'script=' + encodeURIComponent(script);
    var f = document.createElement('iframe');
    f.title = this._title(script);
    f.src = url.href;
    f.setAttribute('referrerpolicy', 'no-referrer');
    f.style.height = (fixed || 320) + 'px';
    if (fixed == null) f.setAttribute('scrolling', 'no');
    this._frame = f;
    this._lastTheme = q.get('theme');
    this._root.replaceChildren(style(), f);
  };

  P._post = function (msg) {
    if (!this._frame || !this._frame.contentWindow) return;
    msg.protocol = PROTOCOL;
    msg.version = VERSION;
    this._frame.contentWindow.postMessage(msg, APP.origin);
  };

  P._sendTheme = function () {
    var t = this._themeNow();
    if (t === this._lastTheme) return;
    this._lastTheme = t;
    this._post({ type: 'theme', theme: t });
  };

  /* The host-to-widget messages, as methods. */
  P.play = function () { this._post({ type: 'play' }); };
  P.pause = function () { this._post({ type: 'pause' }); };
  P.step = function (index) {
    if (isFinite(index) && index >= 0) this._post({ type: 'step', index: Math.floor(index) });
  };
  P.load = function () { if (!this._frame) this._load(); };

  function style() {
    var s = document.createElement('style');
    s.textContent = CSS;
    return s;
  }

  /* Widget-to-host messages: only from one of our frames, only of this protocol. */
  window.addEventListener('message', function (ev) {
    var d = ev.data;
    if (!d || d.protocol !== PROTOCOL || !(d.version <= VERSION)) return;
    widgets.forEach(function (w) {
      if (!w._frame || w._frame.contentWindow !== ev.source) return;
      if (d.type === 'ready') {
        w._ready = true;
        w._lastTheme = null;
        w._sendTheme();
      } else if (d.type === 'resized' && w._height() == null && d.height > 0) {
        w._frame.style.height = Math.ceil(d.height) + 'px';
      } else if (d.type === 'step') {
        w.setAttribute('data-step', d.index + '/' + d.total);
      }
      w.dispatchEvent(new CustomEvent('ebs-kms-' + d.type, { detail: d, bubbles: true }));
    });
  });

  function themeChanged() { widgets.forEach(function (w) { w._sendTheme(); }); }
  new MutationObserver(themeChanged).observe(document.documentElement, {
    attributes: true, attributeFilter: ['class', 'data-theme'],
  });
  function watchBody() {
    if (document.body) {
      new MutationObserver(themeChanged).observe(document.body, {
        attributes: true, attributeFilter: ['class', 'data-theme', 'data-md-color-scheme'],
      });
    }
  }
  if (document.body) watchBody(); else document.addEventListener('DOMContentLoaded', watchBody);
  if (media && media.addEventListener) media.addEventListener('change', themeChanged);

  customElements.define('ebs-kms-playground', Playground);
}());
