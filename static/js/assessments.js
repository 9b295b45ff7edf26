// Countdowns on the AMHP worklist and assessment pages (rules C2 and A2).
// Each [data-countdown-to] holds a UTC instant; the server renders the text, this script keeps
// it up to date every second and marks it missed once the instant has passed.
(function () {
  'use strict'

  function pad (n) { return n < 10 ? '0' + n : String(n) }

  // Django's JavaScript catalogue (/jsi18n/, djangojs) when loaded, else English.
  var gettext = window.gettext || function (s) { return s }

  function duration (ms) {
    var total = Math.floor(Math.abs(ms) / 1000)
    var h = Math.floor(total / 3600)
    var m = Math.floor((total % 3600) / 60)
    var s = total % 60
    var H = ' ' + gettext('h') + ' '
    var MIN = ' ' + gettext('min') + ' '
    return (h ? h + H + pad(m) + MIN : m + MIN) + pad(s) + ' ' + gettext('s')
  }

  function update (el) {
    var due = Date.parse(el.getAttribute('data-countdown-to'))
    if (isNaN(due)) return
    var left = due - Date.now()
    var missed = left < 0
    var template = el.getAttribute(missed ? 'data-text-missed' : 'data-text-left') || '%(t)s'
    var text = el.querySelector('.app-countdown__text')
    if (text) text.textContent = template.replace('%(t)s', duration(left))
    if (missed && !el.classList.contains('app-countdown--missed')) {
      el.classList.add('app-countdown--missed')
      var tag = document.createElement('strong')
      tag.className = 'govuk-tag govuk-tag--red'
      tag.textContent = el.getAttribute('data-missed-label') || gettext('Missed')
      el.insertBefore(tag, el.firstChild)
      el.insertBefore(document.createTextNode(' '), tag.nextSibling)
    }
  }

  function tick () {
    var els = document.querySelectorAll('[data-countdown-to]')
    for (var i = 0; i < els.length; i++) update(els[i])
  }

  tick()
  window.setInterval(tick, 1000)
})()
