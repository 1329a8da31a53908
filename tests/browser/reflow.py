"""Pages that reflow: no sideways scrolling, and no control clipped, pushed off the
screen or lying over another, as the page is now.

Text at 200%: GOV.UK Frontend sizes text in rem, so a root font size of 200% doubles
every piece of text, as a browser's text size setting does; the style goes in before
the page's own script runs, on every page of the context (`zoom_text`).
"""

from __future__ import annotations

TEXT_200 = """
document.addEventListener('DOMContentLoaded', () => {
  const style = document.createElement('style');
  style.textContent = 'html { font-size: 200% !important; }';
  document.head.appendChild(style);
});
"""

REFLOW_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  const describe = el => el.outerHTML.slice(0, 100);
  const shown = el => {
    const s = getComputedStyle(el);
    if (s.display === 'none' || s.visibility === 'hidden' || el.closest('[hidden]')) return false;
    const r = el.getBoundingClientRect();
    // Visually hidden text (the skip link until focused, hidden legends): 1px or less.
    return r.width > 1 && r.height > 1;
  };
  if (document.documentElement.scrollWidth > width) {
    problems.push(`sideways scrolling: ${document.documentElement.scrollWidth}px in ${width}px`);
  }
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
    + 'label, legend, h1, h2, h3, p, li, dt, dd, th, td';
  const all = [...document.querySelectorAll(selector)].filter(shown);
  for (const el of all) {
    const r = el.getBoundingClientRect();
    if (r.left < -1 || r.right > width + 1) {
      const where = `${Math.round(r.left)} to ${Math.round(r.right)}`;
      problems.push(`off the side (${where}): ${describe(el)}`);
    }
  }
  // Clipped: a box that hides what does not fit in it.
  for (const el of document.querySelectorAll('body *')) {
    if (!shown(el)) continue;
    const s = getComputedStyle(el);
    const hides = v => v === 'hidden' || v === 'clip';
    if (el.matches('input, select')) {
      const inner = el.clientHeight - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom);
      if (parseFloat(s.fontSize) > inner + 1) {
        problems.push(`text taller than its box (${s.fontSize} in ${inner}px): ${describe(el)}`);
      }
      continue;
    }
    if (el.matches('textarea')) continue;  // scrolls by design
    if ((hides(s.overflowX) && el.scrollWidth > el.clientWidth + 1)
        || (hides(s.overflowY) && el.scrollHeight > el.clientHeight + 1)
        || (s.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1)) {
      problems.push(`clipped: ${describe(el)}`);
    }
  }
  // Overlapping: two controls (or a control and text) that share screen space. A control
  // and its own label, and an element and what it contains, may.
  const controls = [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary')].filter(shown);
  const texts = [...document.querySelectorAll('label, legend, h1, h2, p, .govuk-hint')]
    .filter(shown);
  const related = (a, b) => a.contains(b) || b.contains(a)
    || [...(a.labels || [])].includes(b) || [...(b.labels || [])].includes(a)
    || (a.labels && b.labels && [...a.labels].some(l => l.contains(b) || b.contains(l)));
  const overlap = (a, b) => {
    const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    return x > 2 && y > 2;
  };
  for (let i = 0; i < controls.length; i++) {
    const a = controls[i], ra = a.getBoundingClientRect();
    for (const b of [...controls.slice(i + 1), ...texts]) {
      if (related(a, b)) continue;
      // A radio or checkbox lies over its own label's circle or square, by design.
      if (a.matches('input[type=radio], input[type=checkbox]') && b.matches('label')
          && b.previousElementSibling === a) continue;
      if (overlap(ra, b.getBoundingClientRect())) {
        problems.push(`overlapping: ${describe(a)} and ${describe(b)}`);
      }
    }
  }
  return problems;
}
"""


def zoom_text(context) -> None:
    """Every page this context opens from now on has its text at 200%. The context must
    be made with bypass_csp=True: the pages' policy allows no style but their own."""
    context.add_init_script(TEXT_200)


def reflow_problems(page) -> list[str]:
    return page.evaluate(REFLOW_JS)


def check_reflows(page) -> None:
    problems = reflow_problems(page)
    assert problems == [], f"{page.url}:\n" + "\n".join(problems)
