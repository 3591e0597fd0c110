// onrecord charts (Chart.js, vendored). Data comes from <script type="application/json"> blocks.
(function () {
  "use strict";
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  var COLORS = {assert: "#2e8b57", deny: "#b3261e", believe: "#6a3fb5", question: "#d4a017",
                person: "#1f5fa8", organization: "#2e8b57", media: "#e07b24", group: "#9b6dd6",
                anonymous: "#3b3f45", unknown: "#aab4bf"};
  // every day (month, year) from the first statement to the last comes from the server, empty
  // ones included: one bar per unit of time, so gaps keep their width
  var timeline = data("timeline-data"), canvas = document.getElementById("timeline-chart");
  if (timeline && canvas) {
    var points = timeline.points, stances = [];
    points.forEach(function (p) { Object.keys(p.stances).forEach(function (s) { if (stances.indexOf(s) < 0) stances.push(s); }); });
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: points.map(function (p) { return p.date; }),
        datasets: stances.map(function (s) {
          return {label: s, backgroundColor: COLORS[s] || "#888", barPercentage: 1, categoryPercentage: 0.9,
                  data: points.map(function (p) { return p.stances[s] || 0; })};
        })
      },
      options: {animation: false, responsive: true, maintainAspectRatio: false,
                scales: {x: {stacked: true, title: {display: true, text: timeline.unit}, ticks: {autoSkip: true, maxRotation: 0}},
                         y: {stacked: true, beginAtZero: true, ticks: {precision: 0}, title: {display: true, text: "statements"}}}}
    });
  }
  var rows = data("sourcing-data"), sourcing = document.getElementById("sourcing-chart");
  if (rows && sourcing) {
    // every row, none left out: the box grows with them
    var kinds = ["person", "organization", "media", "group", "anonymous", "unknown"];
    sourcing.parentNode.style.height = Math.max(160, 24 * rows.length + 90) + "px";  // CSSOM: allowed by the CSP
    new Chart(sourcing, {
      type: "bar",
      data: {
        labels: rows.map(function (r) { var k = r.key || "(unknown)"; return k.length > 60 ? k.slice(0, 57) + "…" : k; }),
        datasets: kinds.map(function (k) {
          return {label: k, backgroundColor: COLORS[k] || "#888",
                  data: rows.map(function (r) { return r.total ? Math.round(1000 * (r.counts[k] || 0) / r.total) / 10 : 0; })};
        })
      },
      options: {indexAxis: "y", animation: false, responsive: true, maintainAspectRatio: false,
                scales: {x: {stacked: true, max: 100, title: {display: true, text: "% of attributions"}}, y: {stacked: true}}}
    });
  }
})();
