// Detention forms (progressive enhancement; without JavaScript every block shows and the
// server validates regardless). A static file: the Content-Security-Policy allows no inline script.
//
// 1. Conditional reveals for radios: <input type="radio" data-reveal="<id>"> shows the block
//    with that id only while it is checked. GOV.UK's own radios module sets aria-expanded on
//    radios, which is not an allowed ARIA attribute for the radio role, so the pages use this.
// 2. The police station decision (<div data-police-station-block data-place-field="<name>">)
//    shows only while the chosen place of safety (radio or select option with
//    data-kind="police_station") is a police station, or while it has an error to show.

function syncReveals () {
  document.querySelectorAll('input[type="radio"][data-reveal]').forEach(function (el) {
    const target = document.getElementById(el.dataset.reveal)
    if (target) target.classList.toggle('govuk-radios__conditional--hidden', !el.checked)
  })
}

function syncPoliceStation () {
  document.querySelectorAll('[data-police-station-block]').forEach(function (block) {
    const name = block.dataset.placeField
    let station = false
    document.querySelectorAll(`[name="${name}"]`).forEach(function (el) {
      if (el instanceof HTMLSelectElement) {
        const option = el.selectedOptions[0]
        station = station || Boolean(option && option.dataset.kind === 'police_station')
      } else if (el.checked && el.dataset.kind === 'police_station') {
        station = true
      }
    })
    block.hidden = !station && !block.querySelector('.govuk-form-group--error')
  })
}

function sync () {
  syncReveals()
  syncPoliceStation()
}

document.addEventListener('change', function (event) {
  if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement) sync()
})
window.addEventListener('pageshow', sync)
sync()
