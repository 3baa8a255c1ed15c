// nrrkit room pages: send each press to the server, draw what it says changed.
(function () {
  "use strict";
  var body = document.body, sid = body.dataset.sid, page = body.dataset.page;
  var queue = [], busy = false, seq = 0;
  var status = document.getElementById("nk-status");

  function say(text) { status.textContent = text; status.style.display = text ? "block" : "none"; }

  function slotOf(el) { var s = el.closest("[data-slot]"); return s ? Number(s.dataset.slot) : -1; }
  function control(el) { return el.closest("[data-w]"); }

  function send(msg) {
    if (!sid) return;
    if (msg.action === "set") {  // a newer value replaces one still waiting: the server draws only the last
      for (var i = 0; i < queue.length; i++) {
        if (queue[i].action === "set" && queue[i].path === msg.path) { queue[i] = msg; return; }
      }
    }
    queue.push(msg);
    pump();
  }

  function pump() {
    if (busy || !queue.length) return;
    busy = true;
    var msg = queue.shift();
    msg.sid = sid; msg.page = page; msg.seq = seq++;
    fetch("/api/act", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(msg)})
      .then(function (r) { return r.json(); })
      .then(function (reply) {
        if (reply.error) { say(reply.error); }
        else {
          say(reply.restarted ? "This page was idle for a long time and the server forgot it; the app you just " +
              "used starts again from its first settings." : "");
          draw(reply.changes || {}, msg.path);
        }
      })
      .catch(function () { say("The room server did not answer: check the network, then try again."); })
      .then(function () { busy = false; pump(); });
  }

  function setOptions(el, s, build) {
    if (el.dataset.labels !== JSON.stringify(s.labels)) { build(); el.dataset.labels = JSON.stringify(s.labels); }
  }

  function relabel(el, text, inputs) {  // an app may rename a control ("churn a year" / "churn a month")
    var d = el.querySelector(".nk-desc");
    if (!d || text === undefined || d.textContent === text) return;
    d.textContent = text;
    inputs.forEach(function (x, i) { x.setAttribute("aria-label", i ? text + " value" : text); });
  }

  function draw(changes, touched) {  // touched: the control the person just set, shown as the server read it
    Object.keys(changes).forEach(function (path) {
      var s = changes[path], el = document.querySelector('[data-w="' + path + '"]');
      if (!el) return;
      el.style.display = s.shown ? "" : "none";
      var kind = el.dataset.kind;
      if (kind === "image" && s.src !== undefined) { el.querySelector("img").src = s.src; }
      else if (kind === "html") { el.innerHTML = s.value; }
      else if (kind === "slider") {
        var r = el.querySelector("input[type=range]"), t = el.querySelector(".nk-readout");
        r.min = s.min; r.max = s.max; r.step = s.step; r.value = s.value; r.disabled = s.disabled;
        if (document.activeElement !== t || path === touched) t.value = s.readout;
        relabel(el, s.description, [r, t]);
      } else if (kind === "number") {
        var n = el.querySelector("input");
        if (document.activeElement !== n || path === touched) n.value = s.value;
        relabel(el, s.description, [n]);
      } else if (kind === "select") {
        var sel = el.querySelector("select");
        setOptions(el, s, function () {
          sel.innerHTML = "";
          s.labels.forEach(function (label, i) { var o = document.createElement("option"); o.value = i; o.textContent = label; sel.appendChild(o); });
        });
        sel.selectedIndex = s.index === null ? -1 : s.index;
      } else if (kind === "toggles") {
        el.querySelectorAll("button").forEach(function (b) { b.classList.toggle("on", Number(b.dataset.i) === s.index); });
      } else if (kind === "radios") {
        el.querySelectorAll("input").forEach(function (b) { b.checked = Number(b.value) === s.index; });
      } else if (kind === "text") {
        var x = el.querySelector("input");
        if (document.activeElement !== x) x.value = s.value;
      } else if (kind === "check") {
        el.querySelector("input").checked = s.value;
      } else if (kind === "button") {
        el.textContent = s.description; el.disabled = s.disabled;
      }
    });
  }

  function set(el, value) { send({slot: slotOf(el), path: el.dataset.w, action: "set", value: value}); }

  document.addEventListener("input", function (e) {
    var c = control(e.target);
    if (c && c.dataset.kind === "slider" && e.target.type === "range") {
      c.querySelector(".nk-readout").value = e.target.value;
      set(c, e.target.value);
    }
  });
  document.addEventListener("change", function (e) {
    var c = control(e.target);
    if (!c) return;
    var kind = c.dataset.kind;
    if (kind === "slider" && e.target.classList.contains("nk-readout")) set(c, e.target.value);
    else if (kind === "number" || kind === "text") set(c, e.target.value);
    else if (kind === "select" || kind === "radios") set(c, e.target.value);
    else if (kind === "check") set(c, e.target.checked);
  });
  document.addEventListener("click", function (e) {
    var b = e.target.closest("button");
    if (!b) return;
    var c = control(b);
    if (!c) return;
    if (c.dataset.kind === "toggles") set(c, b.dataset.i);
    else if (c.dataset.kind === "button") send({slot: slotOf(c), path: c.dataset.w, action: "click"});
  });
  document.addEventListener("keydown", function (e) {  // Enter in an answer box checks it
    if (e.key !== "Enter" || e.target.tagName !== "INPUT" || e.target.type !== "text") return;
    var c = control(e.target);
    if (!c || c.dataset.kind !== "text") return;
    set(c, e.target.value);
    var slot = e.target.closest("[data-slot]"), b = slot && slot.querySelector("[data-kind=button]");
    if (b) send({slot: slotOf(b), path: b.dataset.w, action: "click"});
  });

  if (sid) {
    setInterval(function () { send({slot: -1, path: "", action: "touch"}); }, 60000);  // "this page is still open"
    window.addEventListener("pagehide", function () {
      navigator.sendBeacon("/api/close", JSON.stringify({sid: sid}));
    });
  }
  body.dataset.ready = "1";
})();
