// Youth Voice front-end entry point for staff pages (an ES module, loaded with
// <script type="module">; young people's pages load young.js instead).
// Bundled by esbuild (scripts/build-assets.mjs) with govuk-frontend.
//
// The Content-Security-Policy allows inline script only with the page's nonce; the
// GOV.UK template's snippet that marks the body as JavaScript-enabled carries it, and
// it is repeated here for browsers that run modules. Browsers that do not support ES
// modules never run this file and get the no-JavaScript experience, as GOV.UK Frontend
// intends.
import { initAll } from 'govuk-frontend'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')

initAll()
