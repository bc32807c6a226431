/*
 * SaasAssistants web chat widget.
 * Embed with one tag:  <script src="https://GATEWAY/widget.js" data-channel="CHANNEL_TOKEN" async></script>
 * Optional: data-open="true" opens the chat at load; data-title="..." overrides the header; data-lang="pt-BR" or "en"
 * chooses the widget's language (otherwise the page's <html lang>, then the browser's language).
 * No secret lives here: the channel token is public, and the Gateway issues this visitor a signed session.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.dataset.channel) { console.error("[widget] data-channel is missing on the script tag"); return; }
  var channel = script.dataset.channel;
  var base = new URL(script.src, location.href).origin;
  var api = base + "/v1/widget/" + encodeURIComponent(channel);
  var storageKey = "saas-widget:" + channel;
  var state = { session: null, seen: {}, source: null, waiting: 0, typingTimer: null };

  // The widget's own texts, ASCII with \u escapes: a host page in another encoding (ISO-8859-1) reads them right too.
  // The language: the tag's data-lang, else the host page's <html lang>, else the browser's;
  // Portuguese in any variant gets pt-BR, anything else English.
  var texts = {
    en: {
      chat: "Chat", open: "Open the chat", close: "Close", subtitle: "We reply in seconds", typing: "typing\u2026",
      placeholder: "Type a message\u2026", send: "Send", unavailable: "Chat unavailable", notSent: "Not sent",
      notSentPrefix: "Not sent: ", reconnecting: "Reconnecting\u2026"
    },
    "pt-BR": {
      chat: "Chat", open: "Abrir o chat", close: "Fechar", subtitle: "Respondemos em segundos", typing: "digitando\u2026",
      placeholder: "Digite uma mensagem\u2026", send: "Enviar", unavailable: "Chat indispon\u00edvel", notSent: "N\u00e3o enviada",
      notSentPrefix: "N\u00e3o enviada: ", reconnecting: "Reconectando\u2026"
    }
  };
  function pickLanguage() {
    var candidates = [script.dataset.lang, document.documentElement.lang].concat(navigator.languages || [navigator.language]);
    for (var i = 0; i < candidates.length; i++) {
      var tag = (candidates[i] || "").toLowerCase();
      if (!tag) continue;
      return tag.indexOf("pt") === 0 ? "pt-BR" : "en";
    }
    return "en";
  }
  var language = pickLanguage();
  var t = texts[language];
  function escapeHtml(text) {
    return text.replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }

  var css = [
    ":host{all:initial;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;}",
    ".launcher{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;cursor:pointer;",
    "background:#2563eb;color:#fff;box-shadow:0 6px 20px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center;z-index:2147483000}",
    ".panel{position:fixed;right:20px;bottom:88px;width:360px;max-width:calc(100vw - 40px);height:520px;max-height:calc(100vh - 120px);",
    "background:#fff;border-radius:14px;box-shadow:0 12px 40px rgba(0,0,0,.25);display:none;flex-direction:column;overflow:hidden;z-index:2147483000}",
    ".panel.open{display:flex}",
    "header{background:#2563eb;color:#fff;padding:14px 16px;font-weight:600;display:flex;justify-content:space-between;align-items:center}",
    "header small{display:block;font-weight:400;opacity:.85;font-size:12px}",
    "header button{background:none;border:0;color:#fff;font-size:20px;cursor:pointer}",
    ".log{flex:1;overflow-y:auto;padding:14px;background:#f5f7fb;display:flex;flex-direction:column;gap:8px}",
    ".msg{max-width:80%;padding:9px 12px;border-radius:14px;line-height:1.35;font-size:14px;white-space:pre-wrap;word-wrap:break-word}",
    ".msg.inbound{align-self:flex-end;background:#2563eb;color:#fff;border-bottom-right-radius:4px}",
    ".msg.outbound{align-self:flex-start;background:#fff;color:#111827;border:1px solid #e5e7eb;border-bottom-left-radius:4px}",
    ".msg.pending{opacity:.6}.msg.failed{background:#fee2e2;color:#991b1b}",
    ".typing{align-self:flex-start;color:#6b7280;font-size:13px;display:none}.typing.on{display:block}",
    "form{display:flex;border-top:1px solid #e5e7eb;padding:8px;gap:8px;background:#fff}",
    "input{flex:1;border:1px solid #d1d5db;border-radius:10px;padding:10px;font-size:14px;outline:none}",
    "input:focus{border-color:#2563eb}",
    "form button{border:0;background:#2563eb;color:#fff;border-radius:10px;padding:0 16px;font-weight:600;cursor:pointer}",
    "form button:disabled{opacity:.5;cursor:default}",
    ".status{font-size:12px;color:#6b7280;text-align:center;padding:4px}"
  ].join("");

  var host = document.createElement("div");
  host.setAttribute("data-saas-widget", "");
  var root = host.attachShadow({ mode: "open" });
  host.setAttribute("lang", language);
  root.innerHTML = "<style>" + css + "</style>" +
    '<button class="launcher" data-testid="widget-launcher" aria-label="' + escapeHtml(t.open) + '"><svg width="26" height="26" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/></svg></button>' +
    '<section class="panel" role="dialog" aria-label="' + escapeHtml(t.chat) + '" data-testid="widget-panel" data-lang="' + language + '">' +
    '<header><div><span data-testid="widget-title">' + escapeHtml(script.dataset.title || t.chat) + '</span><small data-testid="widget-subtitle">' + escapeHtml(t.subtitle) + '</small></div>' +
    '<button class="close" aria-label="' + escapeHtml(t.close) + '">&times;</button></header>' +
    '<div class="log" data-testid="widget-log" aria-live="polite"><div class="typing" data-testid="widget-typing">' + escapeHtml(t.typing) + '</div></div>' +
    '<div class="status" data-testid="widget-status"></div>' +
    '<form><input data-testid="widget-input" placeholder="' + escapeHtml(t.placeholder) + '" autocomplete="off" maxlength="4000" />' +
    '<button type="submit" data-testid="widget-send">' + escapeHtml(t.send) + '</button></form></section>';

  var panel = root.querySelector(".panel"), log = root.querySelector(".log"), typing = root.querySelector(".typing");
  var input = root.querySelector("input"), form = root.querySelector("form"), status = root.querySelector(".status");
  var title = root.querySelector("[data-testid=widget-title]");

  function setStatus(text) { status.textContent = text || ""; }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16)); b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function render(id, direction, text, extraClass) {
    if (id && state.seen[id]) return state.seen[id];
    var el = document.createElement("div");
    el.className = "msg " + direction + (extraClass ? " " + extraClass : "");
    el.setAttribute("data-testid", "widget-message");
    el.setAttribute("data-direction", direction);
    el.textContent = text || "";
    log.insertBefore(el, typing);
    log.scrollTop = log.scrollHeight;
    if (id) state.seen[id] = el;
    return el;
  }

  function showTyping(on) {
    clearTimeout(state.typingTimer);
    typing.classList.toggle("on", on);
    if (on) state.typingTimer = setTimeout(function () { typing.classList.remove("on"); }, 30000);
    log.scrollTop = log.scrollHeight;
  }

  function problemText(res, fallback) {
    return res.json().then(function (p) { return p.title || fallback; }, function () { return fallback; });
  }

  function startSession() {
    return fetch(api + "/sessions", { method: "POST" }).then(function (res) {
      if (!res.ok) return problemText(res, t.unavailable).then(function (t) { throw new Error(t); });
      return res.json();
    }).then(function (s) {
      state.session = s;
      localStorage.setItem(storageKey, JSON.stringify(s));
      return s;
    });
  }

  function ensureSession() {
    if (state.session && new Date(state.session.expiresAt) > new Date()) return Promise.resolve(state.session);
    try {
      var stored = JSON.parse(localStorage.getItem(storageKey) || "null");
      if (stored && new Date(stored.expiresAt) > new Date(Date.now() + 60000)) { state.session = stored; return Promise.resolve(stored); }
    } catch (e) { /* a corrupt entry just means a new session */ }
    return startSession();
  }

  function sessionUrl(path) {
    return api + "/sessions/" + encodeURIComponent(state.session.sessionId) + path + "?token=" + encodeURIComponent(state.session.sessionToken);
  }

  function onReply(m) {
    if (state.seen[m.id]) return;
    render(m.id, m.direction, m.text);
    if (m.direction === "outbound") { state.waiting = Math.max(0, state.waiting - 1); showTyping(state.waiting > 0); }
  }

  function connect() {
    if (state.source) state.source.close();
    var source = new EventSource(sessionUrl("/events"));
    state.source = source;
    source.addEventListener("ready", function () { setStatus(""); loadHistory(); });
    source.addEventListener("message", function (e) { onReply(JSON.parse(e.data)); });
    source.onerror = function () {
      if (source.readyState === EventSource.CLOSED) {
        // The Gateway refused the stream (expired session, channel gone): start over after a pause.
        setStatus(t.reconnecting);
        state.session = null; localStorage.removeItem(storageKey);
        setTimeout(function () { ensureSession().then(connect, function (e) { setStatus(e.message); }); }, 3000);
      } else { setStatus(t.reconnecting); }
    };
  }

  function loadHistory() {
    return fetch(sessionUrl("/messages")).then(function (res) { return res.ok ? res.json() : []; }).then(function (messages) {
      messages.forEach(function (m) { onReply(m); });
      if (!messages.length && state.session.greeting && !state.greeted) { state.greeted = true; render(null, "outbound", state.session.greeting); }
    });
  }

  function send(text) {
    var messageId = uuid();
    var el = render(messageId, "inbound", text, "pending");
    state.waiting++; showTyping(true);
    return ensureSession().then(function (s) {
      return fetch(base + "/v1/webhooks/web/" + encodeURIComponent(channel), {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Widget-Session": s.sessionToken },
        body: JSON.stringify({ sessionId: s.sessionId, messageId: messageId, text: text })
      });
    }).then(function (res) {
      if (!res.ok) return problemText(res, t.notSent).then(function (t) { throw new Error(t); });
      el.classList.remove("pending");
    }).catch(function (e) {
      el.classList.remove("pending"); el.classList.add("failed");
      el.title = e.message; state.waiting = Math.max(0, state.waiting - 1); showTyping(state.waiting > 0);
      setStatus(t.notSentPrefix + e.message);
    });
  }

  function open() {
    panel.classList.add("open");
    input.focus();
    if (!state.source) ensureSession().then(function (s) {
      if (s.assistantName) title.textContent = script.dataset.title || s.assistantName;
      connect();
    }, function (e) { setStatus(e.message); });
  }

  root.querySelector(".launcher").addEventListener("click", function () { panel.classList.contains("open") ? panel.classList.remove("open") : open(); });
  root.querySelector(".close").addEventListener("click", function () { panel.classList.remove("open"); });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });

  function mount() { document.body.appendChild(host); if (script.dataset.open === "true") open(); }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
