// Live countdowns for detentions (progressive enhancement: the server renders the text too).
//
// <span data-countdown data-target="2026-03-29T03:30:00Z" data-server-now="...Z" data-label="...">
// counts down to an instant; <span data-countup data-target="..."> counts up from one.
// Times are computed from the server's UTC instants: the browser's clock is corrected by the
// difference between the server's "now" (when the page was made) and the browser's.
// Words come from data attributes (translated on the server); the units and the spoken
// "hours"/"minutes" from Django's JavaScript catalogue (/jsi18n/, the djangojs domain: gettext,
// ngettext, interpolate), so they follow the page's language.
// The visible text updates every second; a screen-reader announcement (#countdown-announcer,
// aria-live polite) changes at most once a minute.

const LANG = document.documentElement.lang || 'en-GB'

function offsetFor (el) {
  if (el.dataset.offset === undefined) {
    const serverNow = Date.parse(el.dataset.serverNow || '')
    el.dataset.offset = isNaN(serverNow) ? '0' : String(serverNow - Date.now())
  }
  return Number(el.dataset.offset)
}

function pad (n) { return String(n).padStart(2, '0') }

// Django's catalogue functions when /jsi18n/ loaded, else English.
const gettext = window.gettext || function (s) { return s }
const ngettext = window.ngettext || function (s, p, n) { return n === 1 ? s : p }
const interpolate = window.interpolate || function (fmt, args) {
  let i = 0
  return fmt.replace(/%s/g, function () { return String(args[i++]) })
}

function hoursWords (n) { return interpolate(ngettext('%s hour', '%s hours', n), [n]) }
function minutesWords (n) { return interpolate(ngettext('%s minute', '%s minutes', n), [n]) }

function parts (ms) {
  const total = Math.floor(Math.abs(ms) / 1000)
  return { h: Math.floor(total / 3600), m: Math.floor((total % 3600) / 60), s: total % 60 }
}

function precise (ms) {
  const p = parts(ms)
  const h = gettext('h')
  const min = gettext('min')
  const sec = gettext('s')
  return p.h ? `${p.h} ${h} ${pad(p.m)} ${min} ${pad(p.s)} ${sec}` : `${p.m} ${min} ${pad(p.s)} ${sec}`
}

function coarse (ms) {
  const p = parts(ms)
  return p.h ? `${hoursWords(p.h)} ${minutesWords(p.m)}` : minutesWords(p.m)
}

let lastAnnouncement = ''

function tick () {
  let announce = null
  document.querySelectorAll('[data-countdown]').forEach(function (el) {
    const target = Date.parse(el.dataset.target || '')
    if (isNaN(target)) return
    const left = target - (Date.now() + offsetFor(el))
    const word = left >= 0 ? (el.dataset.left || gettext('left')) : (el.dataset.overdue || gettext('overdue'))
    el.textContent = `${precise(left)} ${word}`
    el.classList.toggle('app-countdown--breach', left < 0)
    if (announce === null) {
      announce = `${el.dataset.label || ''}: ${coarse(left)} ${word}`
    }
  })
  document.querySelectorAll('[data-countup]').forEach(function (el) {
    const start = Date.parse(el.dataset.target || '')
    if (isNaN(start)) return
    el.textContent = `${precise(Date.now() + offsetFor(el) - start)} ${el.dataset.since || gettext('since detention')}`
  })
  const announcer = document.getElementById('countdown-announcer')
  if (announcer && announce !== null && announce !== lastAnnouncement) {
    // coarse() changes once a minute at most, so the live region does too.
    lastAnnouncement = announce
    announcer.textContent = announce
  }
}

if (!window.harbourCountdown) {
  window.harbourCountdown = { tick, lang: LANG }
  tick()
  window.setInterval(tick, 1000)
}
