"""Moving through a page with the keyboard alone, checking at every key that the focus
can be seen and moves in order.

After each key the focused element must
- show that it has focus: an outline or a box shadow, on itself, its label or their
  ::before/::after, that is not there when it loses focus (a transparent outline, kept
  for Windows high contrast mode, does not count);
- be on screen and not hidden under something else (the sticky top bar, say);
- for Tab, come after the element before it in the page's source, and not above it or
  (on the same line) to its left on the screen; for Shift+Tab, the other way round. A
  control is placed on screen with its labels, as a reader sees it.
"""

from __future__ import annotations

FOCUS_JS = """
(direction) => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return {none: true};
  const transparent = c => c === 'transparent' || /rgba\\([^)]*,\\s*0\\)$/.test(c);
  const ring = s => (s.boxShadow && s.boxShadow !== 'none')
    || (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
        && !transparent(s.outlineColor));
  const targets = [el, ...(el.labels || [])];
  const styles = () => targets.flatMap(t => [
    getComputedStyle(t), getComputedStyle(t, '::before'), getComputedStyle(t, '::after'),
  ]).map(s => ({ring: ring(s), look: [s.outlineStyle, s.outlineWidth, s.outlineColor,
    s.boxShadow, s.backgroundColor, s.borderTopColor, s.color].join('|')}));
  const focused = styles();
  el.blur();
  const blurred = styles();
  el.focus({preventScroll: true});
  const refocused = styles();
  const shows = focused.some((s, i) => s.ring && s.look !== blurred[i].look);

  const r = el.getBoundingClientRect();
  // Where it is on screen: a control together with its labels, as a reader sees it.
  const rects = targets.map(t => t.getBoundingClientRect()).filter(b => b.width && b.height);
  const box = {top: Math.min(...rects.map(b => b.top)) + scrollY,
               bottom: Math.max(...rects.map(b => b.bottom)) + scrollY,
               left: Math.min(...rects.map(b => b.left)) + scrollX,
               right: Math.max(...rects.map(b => b.right)) + scrollX};
  const cx = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
  const cy = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
  const hit = document.elementFromPoint(cx, cy);
  const covered = !hit || !(hit === el || el.contains(hit) || hit.contains(el)
    || targets.some(t => t.contains(hit)));
  const onScreen = r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;

  let domOrder = true, visualOrder = true;
  const prev = window.__keyboardPrevious;
  if (prev && prev.el.isConnected && prev.el !== el && direction !== 0) {
    const after = !!(prev.el.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
    domOrder = direction > 0 ? after : !after;
    const [first, second] = direction > 0 ? [prev.box, box] : [box, prev.box];
    const sameLine = second.top < first.bottom - 1 && second.bottom > first.top + 1;
    visualOrder = sameLine ? second.left >= first.left - 1 : second.bottom > first.top;
  }
  window.__keyboardPrevious = {el, box};
  return {
    none: false,
    html: el.outerHTML.slice(0, 160),
    tag: el.tagName.toLowerCase(),
    name: el.name || '',
    value: el.value || '',
    text: (el.innerText || '').trim().slice(0, 60),
    shows, sameAfterRefocus: JSON.stringify(focused) === JSON.stringify(refocused),
    covered, onScreen, domOrder, visualOrder,
    hit: hit ? hit.outerHTML.slice(0, 100) : null,
  };
}
"""


class Keyboard:
    """One page driven by keys alone; every key's focus is checked."""

    def __init__(self, page):
        self.page = page
        self.steps = 0

    def _check(self, key: str, direction: int) -> dict:
        self.page.keyboard.press(key)
        focus = self.page.evaluate(FOCUS_JS, direction)
        self.steps += 1
        where = f"{self.page.url} after {key}"
        if focus["none"]:
            return focus
        assert focus["sameAfterRefocus"], f"{where}: focus style not restored: {focus['html']}"
        assert focus["shows"], f"{where}: no visible focus on {focus['html']}"
        assert focus["onScreen"], f"{where}: focus off screen on {focus['html']}"
        assert not focus["covered"], f"{where}: {focus['html']} is under {focus['hit']}"
        assert focus["domOrder"], f"{where}: focus went back in the page to {focus['html']}"
        assert focus["visualOrder"], f"{where}: focus jumped back on screen to {focus['html']}"
        return focus

    def tab(self, back: bool = False) -> dict:
        return self._check("Shift+Tab" if back else "Tab", -1 if back else 1)

    def tab_to(self, selector: str, back: bool = False, limit: int = 80) -> dict:
        """Tab (or Shift+Tab) until the element matching selector has focus."""
        for _ in range(limit):
            focus = self.tab(back)
            assert not focus["none"], f"{self.page.url}: left the page before {selector}"
            if self.page.evaluate("(s) => document.activeElement.matches(s)", selector):
                return focus
        raise AssertionError(f"{self.page.url}: could not reach {selector} with the keyboard")

    def tour(self) -> list[dict]:
        """Tab through everything on the page, then Shift+Tab all the way back."""
        forward = []
        for _ in range(200):
            focus = self.tab()
            if focus["none"]:
                break
            forward.append(focus)
        else:
            raise AssertionError(f"{self.page.url}: Tab never left the page")
        self.page.evaluate("() => { window.__keyboardPrevious = null; }")
        back = []
        for _ in range(len(forward)):
            back.append(self.tab(back=True))
        assert [f["html"] for f in back] == [f["html"] for f in reversed(forward)], self.page.url
        # Back on the first element: the next Tab goes on from there.
        return forward

    def arrow(self, key: str = "ArrowDown") -> dict:
        return self._check(key, 0)

    def choose(self, name: str, value: str) -> None:
        """Tab into a group of radios and move to the value with the arrow keys."""
        self.tab_to(f"input[name='{name}']")
        for _ in range(15):
            if self.page.evaluate("() => document.activeElement.value") == value:
                break
            self.arrow()
        self.page.keyboard.press("Space")
        assert self.page.locator(f"input[name='{name}'][value='{value}']").is_checked()

    def tick(self, name: str, values) -> None:
        for value in values:
            self.tab_to(f"input[name='{name}'][value='{value}']")
            self.page.keyboard.press("Space")
            assert self.page.locator(f"input[name='{name}'][value='{value}']").is_checked()

    def type_into(self, selector: str, text: str) -> None:
        self.tab_to(selector)
        self.page.keyboard.type(text)

    def submit(self, selector: str, key: str = "Enter") -> None:
        """Tab to a button or link and press it, waiting for the next page."""
        self.tab_to(selector)
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
