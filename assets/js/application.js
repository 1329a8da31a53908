// Youth Voice front-end entry point (an ES module, loaded with
// <script type="module" src="/static/js/application.js">).
//
// The Content-Security-Policy forbids inline script, so the usual inline
// snippet from the GOV.UK template that marks the body as JavaScript-enabled
// is done here instead. Browsers that do not support ES modules never run
// this file and get the no-JavaScript experience, as GOV.UK Frontend intends.
import { initAll } from './govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')

initAll()

// "Leave this site" replaces the current history entry, so the Back button does not
// return to the check-in. The server clears the session at the same address.
document.addEventListener('click', (event) => {
  const button = event.target.closest('.govuk-exit-this-page__button')
  if (!button) return
  event.preventDefault()
  event.stopImmediatePropagation()
  window.location.replace(button.href)
}, true)
