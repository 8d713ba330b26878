// Progressive enhancement only: hover, focus or tap a highlighted quotation or event to see its card.
// Without this script every highlight is a link to the same card further down the page.
(function () {
  "use strict";
  var pop = document.getElementById("popover");
  var text = document.getElementById("article-text");
  if (!pop || !text) return;
  var current = null;
  var pointerFresh = false, openBefore = false;

  function show(link) {
    var card = document.getElementById(link.getAttribute("data-q") || link.hash.slice(1));
    if (!card) return;
    hide();
    var copy = card.cloneNode(true);   // our own escaped markup, never strings
    copy.removeAttribute("id");
    var go = document.createElement("a");
    go.href = "#" + card.id;
    go.textContent = link.hasAttribute("data-q") ? "Go to this quotation" : "Go to this event";
    copy.appendChild(go);
    pop.replaceChildren(copy);
    pop.hidden = false;
    var r = link.getBoundingClientRect();
    var left = Math.max(8, Math.min(r.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - pop.offsetWidth - 8));
    pop.style.left = left + "px";
    pop.style.top = (r.bottom + window.scrollY + 6) + "px";
    if (pop.getBoundingClientRect().bottom > window.innerHeight) pop.scrollIntoView({block: "nearest"});
    link.setAttribute("aria-describedby", "popover");
    link.classList.add("active");
    current = link;
  }
  function hide() {
    if (current) { current.removeAttribute("aria-describedby"); current.classList.remove("active"); }
    pop.hidden = true;
    current = null;
  }
  var links = text.querySelectorAll("a.q[data-q], a.ev-link");
  for (var i = 0; i < links.length; i++) {
    var a = links[i];
    var titled = a.hasAttribute("title") ? a : a.querySelector("[title]");
    if (titled) {                     // the popover replaces the browser's tooltip
      a.dataset.tip = titled.title;
      titled.removeAttribute("title");
    }
    a.addEventListener("mouseenter", function (e) { show(e.currentTarget); });
    a.addEventListener("focus", function (e) { show(e.currentTarget); });
    // A tap first shows the card (touch sends pointerdown before its emulated mouseenter);
    // a second tap, a click on a hovered quotation or Enter follows the link to the card.
    a.addEventListener("pointerdown", function (e) {
      pointerFresh = true;
      openBefore = current === e.currentTarget;
    });
    a.addEventListener("click", function (e) {
      var first = pointerFresh && !openBefore;
      pointerFresh = false;
      if (first) { e.preventDefault(); show(e.currentTarget); }
    });
  }
  text.addEventListener("mouseleave", function (e) {
    if (!pop.contains(e.relatedTarget)) hide();
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
  document.addEventListener("click", function (e) {
    if (current && !pop.contains(e.target) && !current.contains(e.target)) hide();
  });
})();
