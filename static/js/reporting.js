// Reports: draws a Chart.js chart above each table marked data-chart (the table stays as the
// accessible version; the chart is decorative for screen readers), and polls an export's status.
(function () {
  'use strict'

  function numbers (cells) {
    return cells.map(function (c) {
      var n = parseFloat(String(c.textContent).replace(/,/g, ''))
      return isNaN(n) ? 0 : n
    })
  }

  // Long category names are wrapped onto lines of at most WRAP characters: Chart.js gives a
  // vertical axis at most part of the canvas's width and clips a label wider than that.
  var WRAP = 22

  function wrap (label) {
    var words = label.split(/\s+/)
    var lines = []
    var line = ''
    words.forEach(function (w) {
      if (line && (line + ' ' + w).length > WRAP) {
        lines.push(line)
        line = w
      } else {
        line = line ? line + ' ' + w : w
      }
    })
    if (line) lines.push(line)
    return lines.length > 1 ? lines : label
  }

  function drawCharts () {
    if (!window.Chart) return
    document.querySelectorAll('table[data-chart]').forEach(function (table) {
      var holder = document.querySelector('[data-chart-for="' + table.id + '"]')
      if (!holder) return
      var rows = Array.prototype.slice.call(table.tBodies[0].rows)
      if (!rows.length || rows[0].cells.length < 2) {
        holder.hidden = true // nothing in this period: the table says so, no empty frame
        return
      }
      var labels = rows.map(function (r) { return r.cells[0].textContent.trim() })
      var values = numbers(rows.map(function (r) { return r.cells[1] }))
      var type = table.getAttribute('data-chart') === 'line' ? 'line' : 'bar'
      if (type === 'bar') {
        labels = labels.map(wrap)
        // Bars are spaced evenly: each needs room for the longest label's lines, so no label
        // is skipped, cut or drawn over its neighbour.
        var most = labels.reduce(function (n, l) { return Math.max(n, Array.isArray(l) ? l.length : 1) }, 1)
        holder.style.height = Math.max(256, rows.length * (most * 15 + 14) + 48) + 'px'
      }
      var canvas = document.createElement('canvas')
      canvas.setAttribute('aria-hidden', 'true')
      canvas.setAttribute('role', 'presentation')
      holder.appendChild(canvas)
      // eslint-disable-next-line no-new
      new window.Chart(canvas, {
        type: type,
        data: {
          labels: labels,
          datasets: [{
            label: table.tHead.rows[0].cells[1].textContent.trim(),
            data: values,
            backgroundColor: '#1d70b8',
            borderColor: '#1d70b8',
            pointRadius: type === 'line' && values.length > 60 ? 0 : 2
          }]
        },
        options: {
          indexAxis: type === 'bar' ? 'y' : 'x',
          animation: false,
          maintainAspectRatio: false,
          plugins: { legend: { display: false } },
          layout: { padding: { left: 4, right: 8, top: 4, bottom: 4 } },
          scales: {
            x: { beginAtZero: true, ticks: { autoSkip: type === 'line' } },
            y: { beginAtZero: true, ticks: { autoSkip: type === 'line' } }
          }
        }
      })
    })
  }

  function pollExport () {
    var box = document.querySelector('.app-export[data-status-url]')
    if (!box) return
    var url = box.getAttribute('data-status-url')
    var bar = box.querySelector('progress')
    function set (sel, value) {
      var el = box.querySelector(sel)
      if (el) el.textContent = value
    }
    function tick () {
      fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (r) { return r.json() })
        .then(function (s) {
          bar.value = s.progress
          bar.textContent = s.progress + '%'
          set('[data-export-label]', s.status_label)
          set('[data-export-progress]', s.progress)
          set('[data-export-rows]', s.rows_written)
          set('[data-export-total]', s.total_rows)
          if (s.download_url) {
            box.querySelector('[data-export-download]').hidden = false
          } else if (s.status !== 'failed') {
            window.setTimeout(tick, 1000)
          }
        })
        .catch(function () { window.setTimeout(tick, 3000) })
    }
    tick()
  }

  document.addEventListener('DOMContentLoaded', function () {
    drawCharts()
    pollExport()
  })
})()
