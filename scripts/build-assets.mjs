#!/usr/bin/env node
// Build the front-end assets into static/ (git-ignored).
//
//   npm ci && npm run build        # compressed CSS + source map
//   npm run build:dev              # expanded CSS, for reading
//
// Outputs:
//   static/css/application.css (+ .map)  from assets/scss/application.scss
//   static/js/govuk-frontend.min.js (+ .map)  copied from govuk-frontend
//   static/js/application.js             from assets/js/application.js
//   static/assets/images/govuk-crest.svg   the one image the CSS refers to
//                                        (hidden by our CSS; copied so no url() 404s)
//   static/assets/images/favicon.svg     our own plain icon (no crown)
//   No fonts (system fonts), no GOV.UK favicons/app icons/manifest (crown).

import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

import * as sass from 'sass'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dev = process.argv.includes('--dev')
const govuk = join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk')
const out = join(root, 'static')

// Only our own folders under static/ are replaced.
for (const dir of ['css', 'js', 'assets']) {
  rmSync(join(out, dir), { recursive: true, force: true })
  mkdirSync(join(out, dir), { recursive: true })
}

// CSS
const entry = join(root, 'assets', 'scss', 'application.scss')
const cssFile = join(out, 'css', 'application.css')
const result = sass.compile(entry, {
  style: dev ? 'expanded' : 'compressed',
  sourceMap: true,
  sourceMapIncludeSources: true,
  importers: [new sass.NodePackageImporter(root)],
  // Deprecation warnings from inside govuk-frontend are not ours to fix.
  quietDeps: true
})

const css = result.css
for (const forbidden of ['GDS Transport', '@font-face', '.woff', '/fonts/']) {
  if (css.includes(forbidden)) {
    throw new Error(`application.css must not contain "${forbidden}"`)
  }
}

const map = result.sourceMap
map.file = 'application.css'
map.sources = map.sources.map((source) =>
  source.startsWith('file:')
    ? relative(dirname(cssFile), fileURLToPath(source)).split('\\').join('/')
    : source
)
writeFileSync(cssFile, `${result.css}\n/*# sourceMappingURL=application.css.map */\n`)
writeFileSync(`${cssFile}.map`, JSON.stringify(map))

// JavaScript
for (const file of ['govuk-frontend.min.js', 'govuk-frontend.min.js.map']) {
  cpSync(join(govuk, file), join(out, 'js', file))
}
cpSync(join(root, 'assets', 'js', 'application.js'), join(out, 'js', 'application.js'))

// Only the images the CSS refers to. The package's favicons, app icons,
// manifest and OpenGraph image carry the GOV.UK crown, so they are not copied;
// we write a plain icon of our own instead. No fonts: we use system fonts.
const assetUrls = new Set([...css.matchAll(/url\("?\.\.\/assets\/([^")]+)"?\)/g)].map((match) => match[1]))
for (const asset of assetUrls) {
  mkdirSync(dirname(join(out, 'assets', asset)), { recursive: true })
  cpSync(join(govuk, 'assets', asset), join(out, 'assets', asset))
}
mkdirSync(join(out, 'assets', 'images'), { recursive: true })
writeFileSync(
  join(out, 'assets', 'images', 'favicon.svg'),
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">' +
    '<rect width="32" height="32" rx="6" fill="#106165"/>' +
    '<path d="M8 9h16a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2h-9l-5 4v-4H8a2 2 0 0 1-2-2v-9a2 2 0 0 1 2-2z" fill="#fff"/>' +
    '</svg>\n'
)

const version = JSON.parse(readFileSync(join(root, 'node_modules', 'govuk-frontend', 'package.json'), 'utf8')).version
console.log(`Built static/ with govuk-frontend ${version} (${dev ? 'expanded' : 'compressed'} CSS, ${Math.round(css.length / 1024)} KiB)`)

