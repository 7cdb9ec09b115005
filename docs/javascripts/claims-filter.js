// Filter and sort the claims table on the "All claims" page. Plain DOM code, no framework.
(function () {
  function setUp() {
    var table = document.getElementById("claims-table");
    if (!table || table.dataset.ready) return;
    table.dataset.ready = "1";
    var body = table.tBodies[0];
    var verdict = document.getElementById("filter-verdict");
    var topic = document.getElementById("filter-topic");
    var count = document.getElementById("filter-count");
    var rows = Array.prototype.slice.call(body.rows);

    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var ok = (!verdict.value || row.dataset.verdict === verdict.value) &&
                 (!topic.value || row.dataset.topic === topic.value);
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = shown + " of " + rows.length + " claims";
    }

    var keys = {title: "title", verdict: "verdictRank", topic: "topic", certainty: "certainty", studies: "studies"};
    var numeric = {verdictRank: true, certainty: true, studies: true};
    // The table starts sorted by verdict, strongest first (the page says so).
    var direction = 1, lastKey = "verdictRank";
    table.querySelectorAll("button[data-sort]").forEach(function (button) {
      button.addEventListener("click", function () {
        var key = keys[button.dataset.sort];
        direction = key === lastKey ? -direction : 1;
        lastKey = key;
        rows.sort(function (a, b) {
          var x = a.dataset[key], y = b.dataset[key];
          var order = numeric[key] ? Number(x) - Number(y) : x.localeCompare(y);
          return order * direction;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        table.querySelectorAll("th").forEach(function (th) { th.removeAttribute("aria-sort"); });
        button.parentElement.setAttribute("aria-sort", direction > 0 ? "ascending" : "descending");
      });
    });
    verdict.addEventListener("change", apply);
    topic.addEventListener("change", apply);
    apply();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
