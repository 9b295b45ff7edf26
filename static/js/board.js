// The active detentions board refreshes itself: every data-interval seconds it fetches the
// server-rendered rows and swaps them in. Without JavaScript the "Refresh the board" link does it.

// Words from Django's JavaScript catalogue (/jsi18n/, djangojs) when loaded, else English.
const gettext = window.gettext || String
const board = document.querySelector('[data-board]')

if (board) {
  const url = board.dataset.rowsUrl
  const interval = Math.max(15, Number(board.dataset.interval || 20)) * 1000
  let busy = false

  async function refresh () {
    if (busy || document.hidden) return
    busy = true
    try {
      const response = await fetch(url, {
        headers: { 'X-Requested-With': 'fetch' },
        credentials: 'same-origin',
        cache: 'no-store'
      })
      if (response.redirected || !response.ok) throw new Error(String(response.status))
      const html = await response.text()
      const current = document.getElementById('board-rows')
      const holder = document.createElement('div')
      holder.innerHTML = html
      const fresh = holder.querySelector('#board-rows')
      if (current && fresh) current.replaceWith(fresh)
      if (window.harbourCountdown) window.harbourCountdown.tick()
      board.removeAttribute('data-stale')
    } catch (e) {
      board.setAttribute('data-stale', 'true')
      const note = document.getElementById('board-updated')
      if (note && !note.querySelector('.app-stale')) {
        const warn = document.createElement('strong')
        warn.className = 'govuk-tag govuk-tag--yellow app-stale'
        warn.textContent = gettext('Could not refresh: showing the last update')
        note.appendChild(warn)
      }
    } finally {
      busy = false
    }
  }

  window.setInterval(refresh, interval)
  document.addEventListener('visibilitychange', function () { if (!document.hidden) refresh() })
}
