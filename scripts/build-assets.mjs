#!/usr/bin/env node
// Build the front-end assets into static/ (git-ignored).
//
//   npm ci && npm run build        # production: purged, minified, no source maps
//   npm run build:dev              # readable CSS and JS, JS source maps inline
//
// Two bundles, each a stylesheet and an ES module, and one more stylesheet:
//   young-person young people's and parents' pages (every template that extends
//                young/base.html); kept small: the first page must fit in 14 KB
//   application  staff pages (everything else)
//   young-person-rtl  (a stylesheet only) right-to-left young people's pages, instead
//                of young-person's: the same, and GOV.UK Frontend's left and right
//                mirrored
//
// Outputs, every file with its content's hash in its name, so that it can be cached for
// a year (WhiteNoise serves it `immutable`, with the .br and .gz copies written here):
//   static/css/BUNDLE.<hash>.css     from assets/scss/BUNDLE.scss, trimmed by PurgeCSS
//   static/js/BUNDLE.<hash>.js       from assets/js/BUNDLE.js, bundled by esbuild
//   static/js/read-aloud.<hash>.js   "Read this to me", loaded by question pages only
//   static/assets/images/*.<hash>.svg  our icon, and any image the CSS names
//   static/manifest.json             "css/young-person.css" -> its hashed name, read by
//                                    asset_url() in the app (feedback/assets.py)
//
// What PurgeCSS keeps: a class survives where its name appears in a file it reads:
//   - templates under templates/: all of them for the staff bundle; for the young
//     bundle those that extend young/base.html, the templates they import or include,
//     and base.html without the blocks young/base.html replaces (the staff header);
//   - every Python file under feedback/ and outcomes/ (classes made in code);
//   - the govuk-frontend templates and scripts of the components whose macros those
//     templates call (govuk_frontend_jinja/components/NAME/macro.html), and of the
//     components those use in turn;
//   - our own scripts under assets/js/.
// A class that is put together from pieces (`'yv-face--' ~ n`) is in no file whole:
// add it to SAFELIST below.
// No fonts (system fonts), no GOV.UK favicons/app icons/manifest (crown).

import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, extname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { constants, brotliCompressSync, gzipSync } from 'node:zlib'

import * as esbuild from 'esbuild'
import { PurgeCSS } from 'purgecss'
import * as sass from 'sass'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dev = process.argv.includes('--dev')
const govuk = join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk')
const out = join(root, 'static')
const templates = join(root, 'templates')

// Classes made from pieces, or only ever added by a browser.
const SAFELIST = {
  standard: [/^yv-face--\d$/, 'js-enabled', 'govuk-frontend-supported'],
  deep: [],
  greedy: []
}

// Parts of components that young people's pages never ask for, though the components'
// templates name them: cards of a summary list (its `card` option) and the questions
// revealed by a choice (`conditional`).
const YOUNG_BLOCKLIST = [/^govuk-summary-card/, /__conditional/]

// Only our own folders under static/ are replaced.
for (const dir of ['css', 'js', 'assets']) {
  rmSync(join(out, dir), { recursive: true, force: true })
  mkdirSync(join(out, dir), { recursive: true })
}
rmSync(join(out, 'manifest.json'), { force: true })

const manifest = {}
const written = []

function hashed (logical, content) {
  const hash = createHash('sha256').update(content).digest('hex').slice(0, 10)
  const ext = extname(logical)
  const name = `${logical.slice(0, -ext.length)}.${hash}${ext}`
  mkdirSync(dirname(join(out, name)), { recursive: true })
  writeFileSync(join(out, name), content)
  manifest[logical] = name
  written.push(name)
  return name
}

function walk (dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry)
    return statSync(path).isDirectory() ? walk(path) : [path]
  })
}

// Which templates are whose ------------------------------------------------------------

const allTemplates = walk(templates).filter((path) => path.endsWith('.html'))
const source = Object.fromEntries(allTemplates.map((path) => [relative(templates, path), readFileSync(path, 'utf8')]))
const referenced = (text) =>
  [...text.matchAll(/{%-?\s*(?:extends|include|import|from)\s+["']([^"']+)["']/g)].map((m) => m[1])
    .concat([...text.matchAll(/extends\s+"([^"]+)"\s+if/g)].map((m) => m[1]))

// A young template extends young/base.html, directly or through another template.
const YOUNG_BASE = 'young/base.html'
const extendsOf = (name) => [...(source[name] || '').matchAll(/{%-?\s*extends\s+["']([^"']+)["']/g)].map((m) => m[1])
function isYoung (name, seen = new Set()) {
  if (name === YOUNG_BASE) return true
  if (seen.has(name)) return false
  seen.add(name)
  return extendsOf(name).some((parent) => isYoung(parent, seen))
}

// The blocks a template defines, as [name, start, end] of the whole {% block %}...{% endblock %}.
function blocks (text) {
  const found = []
  const open = []
  for (const m of text.matchAll(/{%-?\s*(block\s+(\w+)|endblock)\b[^%]*%}/g)) {
    if (m[2]) open.push([m[2], m.index])
    else if (open.length) {
      const [name, start] = open.pop()
      found.push([name, start, m.index + m[0].length])
    }
  }
  return found
}

// What of a template a page can show: the templates above young/base.html (base.html,
// the staff pages' own) count without the blocks young/base.html replaces, such as
// the staff header and its navigation.
function shown (name, young) {
  const text = source[name] || ''
  if (!young || isYoung(name)) return text
  const replaced = new Set(blocks(source[YOUNG_BASE]).map(([block]) => block))
  let kept = text
  for (const [block, start, end] of blocks(text).sort((a, b) => b[1] - a[1])) {
    if (replaced.has(block) && kept.length >= end) kept = kept.slice(0, start) + kept.slice(end)
  }
  return kept
}

// The templates a set of templates reaches through extends, include, import and from.
function reach (names, young) {
  const found = new Set()
  const queue = [...names]
  while (queue.length) {
    const name = queue.pop()
    if (found.has(name)) continue
    found.add(name)
    queue.push(...referenced(shown(name, young)))
  }
  return found
}

// govuk-frontend components named by a set of templates, and those they use in turn.
function components (texts) {
  const found = new Set(['skip-link'])
  for (const text of texts) {
    // A component counts where its macro is called, not merely imported: base.html
    // imports the staff header, which young/base.html replaces.
    for (const m of text.matchAll(/govuk_frontend_jinja\/components\/([a-z-]+)\/macro\.html["']\s+import\s+(\w+)/g)) {
      if (texts.some((other) => new RegExp(`\\b${m[2]}\\s*\\(`).test(other))) found.add(m[1])
    }
  }
  const queue = [...found]
  while (queue.length) {
    const component = queue.pop()
    const template = join(govuk, 'components', component, 'template.njk')
    for (const m of readFileSync(template, 'utf8').matchAll(/\.\.\/([a-z-]+)\/macro\.njk/g)) {
      if (!found.has(m[1])) {
        found.add(m[1])
        queue.push(m[1])
      }
    }
  }
  return [...found].sort()
}

function purgeContent (names, young) {
  const texts = [...reach(names, young)].filter((name) => source[name]).map((name) => shown(name, young))
  const used = components(texts)
  const content = texts.map((raw) => ({ raw, extension: 'html' }))
  for (const component of used) {
    const dir = join(govuk, 'components', component)
    for (const file of ['template.njk', `${component}.mjs`]) {
      if (!readdirSync(dir).includes(file)) continue
      // The generic header makes its classes from its namespace ("govuk-generic" unless
      // the main header borrows it): name them whole, so that they are kept.
      const raw = readFileSync(join(dir, file), 'utf8')
      const namespace = raw.match(/set namespace = [^%]*default\("([a-z-]+)"\)/)
      content.push({ raw: namespace ? raw.replaceAll('{{ namespace }}', namespace[1]) : raw, extension: 'html' })
    }
  }
  const files = [join(govuk, 'template.njk'), ...walk(join(root, 'assets', 'js'))]
  for (const dir of ['feedback', 'outcomes']) {
    files.push(...walk(join(root, dir)).filter((path) => path.endsWith('.py')))
  }
  content.push(...files.map((path) => ({ raw: readFileSync(path, 'utf8'), extension: 'html' })))
  return { content, used }
}

const bundles = {
  'young-person': purgeContent(Object.keys(source).filter((name) => isYoung(name)), true),
  application: purgeContent(Object.keys(source), false)
}

// Images -------------------------------------------------------------------------------

// Our own plain icon: the package's favicons, app icons, manifest and OpenGraph image
// carry the GOV.UK crown, so they are not copied.
hashed(
  'assets/images/favicon.svg',
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">' +
    '<rect width="32" height="32" rx="6" fill="#106165"/>' +
    '<path d="M8 9h16a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2h-9l-5 4v-4H8a2 2 0 0 1-2-2v-9a2 2 0 0 1-2-2z" fill="#fff"/>' +
    '</svg>\n'
)

// CSS ----------------------------------------------------------------------------------

// PurgeCSS's default extractor splits on "!", which GOV.UK's override classes contain
// (govuk-!-margin-bottom-0): keep it in words.
const extractor = (content) => content.match(/[A-Za-z0-9_!-]+/g) || []

// Nobody prints a check-in: the young people's bundle drops GOV.UK Frontend's print
// rules (each `@media print { ... }` block), which are bytes of its first page.
function withoutPrint (css) {
  let kept = ''
  let from = 0
  for (const m of css.matchAll(/@media\s*print\s*{/g)) {
    if (m.index < from) continue
    let depth = 0
    let end = m.index + m[0].length - 1
    for (; end < css.length; end++) {
      if (css[end] === '{') depth++
      else if (css[end] === '}' && --depth === 0) break
    }
    kept += css.slice(from, m.index)
    from = end + 1
  }
  return kept + css.slice(from)
}

// Right-to-left pages (Urdu, Arabic) load a stylesheet of their own instead of the young
// people's (the same rules and the mirrored ones), so that their first page asks for
// one stylesheet and the first page of every other language carries none of it.
const stylesheets = { ...bundles, 'young-person-rtl': bundles['young-person'] }

let total = 0
for (const [bundle, { content }] of Object.entries(stylesheets)) {
  const compiled = sass.compile(join(root, 'assets', 'scss', `${bundle}.scss`), {
    style: dev ? 'expanded' : 'compressed',
    importers: [new sass.NodePackageImporter(root)],
    // Deprecation warnings from inside govuk-frontend are not ours to fix.
    quietDeps: true
  })
  const [purged] = await new PurgeCSS().purge({
    content,
    css: [{ raw: compiled.css }],
    defaultExtractor: extractor,
    safelist: SAFELIST,
    blocklist: bundle.startsWith('young-person') ? YOUNG_BLOCKLIST : [],
    variables: true,
    keyframes: true,
    fontFace: true
  })
  let css = bundle.startsWith('young-person') ? withoutPrint(purged.css) : purged.css
  for (const forbidden of ['GDS Transport', '@font-face', '.woff', '/fonts/', 'sourceMappingURL']) {
    if (css.includes(forbidden)) throw new Error(`${bundle}.css must not contain "${forbidden}"`)
  }
  // Images the CSS still names, copied under hashed names that the CSS then points to.
  css = css.replace(/url\("?\.\.\/assets\/([^")]+)"?\)/g, (_match, asset) => {
    const logical = `assets/${asset}`
    const name = manifest[logical] || hashed(logical, readFileSync(join(govuk, 'assets', asset)))
    return `url("../${name}")`
  })
  const file = hashed(`css/${bundle}.css`, css)
  total += css.length
  console.log(`  ${file}: ${Math.round(css.length / 1024)} KiB`)
}

// JavaScript ---------------------------------------------------------------------------

// One build a bundle: no chunk shared with the staff pages' script, so a young person's
// phone downloads only the components their pages use. `read-aloud` is a module of its
// own that only question pages load ("Read this to me"), so the first page, which has
// no question, does not carry it.
for (const bundle of [...Object.keys(bundles), 'read-aloud']) {
  const built = await esbuild.build({
    entryPoints: [join(root, 'assets', 'js', `${bundle}.js`)],
    bundle: true,
    format: 'esm',
    target: ['es2020'],
    minify: !dev,
    sourcemap: dev ? 'inline' : false,
    legalComments: 'none',
    write: false,
    logLevel: 'warning'
  })
  const [file] = built.outputFiles
  hashed(`js/${bundle}.js`, Buffer.from(file.contents))
}

// Compressed copies, served by WhiteNoise to browsers that ask for them ----------------

for (const name of written) {
  const path = join(out, name)
  const data = readFileSync(path)
  writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }))
  writeFileSync(`${path}.br`, brotliCompressSync(data, {
    params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: data.length }
  }))
}
writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n')

const version = JSON.parse(readFileSync(join(root, 'node_modules', 'govuk-frontend', 'package.json'), 'utf8')).version
console.log(
  `Built static/ with govuk-frontend ${version} (${dev ? 'readable' : 'minified'}, CSS ${Math.round(total / 1024)} KiB;` +
  ` young pages use ${bundles['young-person'].used.join(', ')})`
)
