// The places of safety board refreshes itself: every few seconds it fetches the server-rendered
// board fragment (same filters) and swaps it in. A change is announced politely (aria-live);
// keyboard focus inside the board is kept. Without JavaScript the "Refresh" link reloads the page.
(function () {
  'use strict'
  var board = document.getElementById('places-board')
  if (!board || !window.fetch) return
  var announcer = document.getElementById('board-announcer')
  var url = board.getAttribute('data-fragment-url')
  var seconds = parseInt(board.getAttribute('data-refresh-seconds'), 10) || 15
  var auto = document.querySelector('.app-board-refresh__auto')
  if (auto) auto.hidden = false
  var failed = false
  var inFlight = false

  function currentState () {
    var el = board.querySelector('[data-state]')
    return el ? el.getAttribute('data-state') : ''
  }

  function focusKey () {
    var el = document.activeElement
    if (!el || !board.contains(el)) return null
    return el.getAttribute('href') || el.id || null
  }

  function restoreFocus (key) {
    if (!key) return
    var links = board.querySelectorAll('a[href], [id]')
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute('href') === key || links[i].id === key) {
        links[i].focus()
        return
      }
    }
  }

  function announce (message) {
    if (!announcer) return
    announcer.textContent = ''
    window.setTimeout(function () { announcer.textContent = message }, 50)
  }

  function refresh () {
    if (inFlight || document.hidden) return
    inFlight = true
    fetch(url, { credentials: 'same-origin', headers: { 'X-Requested-With': 'fetch' }, cache: 'no-store' })
      .then(function (response) {
        if (!response.ok || response.redirected) throw new Error('HTTP ' + response.status)
        return response.text()
      })
      .then(function (html) {
        var before = currentState()
        var key = focusKey()
        board.innerHTML = html
        restoreFocus(key)
        if (before && currentState() !== before) {
          announce(board.getAttribute('data-updated-message'))
        }
        failed = false
      })
      .catch(function () {
        if (!failed) announce(board.getAttribute('data-failed-message'))
        failed = true
      })
      .then(function () { inFlight = false })
  }

  window.setInterval(refresh, seconds * 1000)
  document.addEventListener('visibilitychange', function () {
    if (!document.hidden) refresh()
  })
})()
