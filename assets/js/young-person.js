// Young people's pages (an ES module; staff pages load application.js).
//
// Every page works without JavaScript (a browser test walks a check-in with it
// off). This file is part of the first page's 14 KB (bench/page_weight.py), so it
// bundles only the GOV.UK Frontend components whose script does something a young
// person needs:
// - ExitThisPage: "Leave this site" on pressing Shift three times;
// - ErrorSummary: moves focus to the list of errors, so a screen reader reads it;
// - Checkboxes: "I'd rather not say" clears the other boxes, and they clear it.
// Left out, for their bytes: CharacterCount's live count (1.3 KB; the box's hint says
// the limit and the server checks it) and Button's double-click guard (a second press
// of "Send" is answered with the same thanks: responses.AlreadySubmitted).
import { Checkboxes, ErrorSummary, ExitThisPage, createAll } from 'govuk-frontend'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')

for (const Component of [Checkboxes, ErrorSummary, ExitThisPage]) {
  createAll(Component)
}

// "Leave this site" replaces the current history entry, so the Back button does not
// return to the check-in. The server clears the session at the same address.
document.addEventListener('click', (event) => {
  const button = event.target.closest('.govuk-exit-this-page__button')
  if (!button) return
  event.preventDefault()
  event.stopImmediatePropagation()
  window.location.replace(button.href)
}, true)
