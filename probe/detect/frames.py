"""Which frames of a page the scanner must read: one read from the main frame of every frame of its own origin
(their documents are open to it) says which of them name credit; only those, and the frames it cannot read (another
origin, a sandbox), are scanned one by one through the driver. A page of many widget frames costs one call, not one
scan per frame."""

from __future__ import annotations

import asyncio

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page

# The frames below the main one that must be scanned: `need`, the elements of frames whose words could make an option,
# a text or a code box (every pattern the scanner keeps anything by), and of frames it cannot read (`foreign`, one
# flag each); `quiet`, how many frames it read and found none of those words in. Frames inside a frame it cannot read
# are not counted: the caller knows them from the driver's tree.
READ_FRAMES_JS = r"""
(words) => {
  const rx = [...words.credit, words.creditWord, words.noMethods, words.accountHead, words.codeBox]
    .map((p) => new RegExp(p, "i"));
  const need = [], foreign = [];
  let quiet = 0;
  // Every element that holds a frame, open shadow roots included.
  const owners = (doc) => {
    const out = [];
    const walk = (root) => {
      for (const el of root.querySelectorAll("*")) {
        if (/^(IFRAME|FRAME|OBJECT|EMBED)$/.test(el.tagName)) out.push(el);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(doc);
    return out;
  };
  // What a document could name credit with: its text (as read, and its text pieces spaced apart, as labels and
  // names join them), every attribute (aria-label, title, placeholder, value, name) and every field's value.
  const said = (doc) => {
    const parts = [];
    const walk = (root) => {
      parts.push(root.textContent || "");
      const texts = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      const pieces = [];
      for (let n = texts.nextNode(); n; n = texts.nextNode()) pieces.push(n.data);
      parts.push(pieces.join(" "));
      for (const el of root.querySelectorAll("*")) {
        for (const a of el.attributes) parts.push(a.value);
        if (typeof el.value === "string") parts.push(el.value);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    if (doc.documentElement) walk(doc.documentElement);
    const raw = parts.join("\n");
    const spaced = raw.replace(/\s+/g, " ");
    return rx.some((r) => r.test(raw) || r.test(spaced));
  };
  const visit = (win) => {
    const els = owners(win.document);
    for (let i = 0; i < win.frames.length; i++) {
      const child = win.frames[i];
      const el = els.find((e) => e.contentWindow === child);
      let doc = null;
      try { doc = child.document; } catch (e) { doc = null; }
      if (!el) continue;  // a frame the page hides from its own DOM (a closed shadow root): left uncounted
      if (!doc) { need.push(el); foreign.push(true); continue; }
      if (said(doc)) { need.push(el); foreign.push(false); } else quiet++;
      visit(child);
    }
  };
  visit(window);
  return { need, foreign, quiet };
}
"""


def _below(frame: Frame, roots: set[Frame]) -> bool:
    parent = frame.parent_frame
    while parent is not None:
        if parent in roots:
            return True
        parent = parent.parent_frame
    return False


async def frames_to_scan(page: Page, words: dict[str, str | list[str]]) -> list[Frame]:
    """The page's frames the scanner must read, main frame first, in the driver's order: every frame when the read
    from the main frame does not account for each of them (a frame it could not find, one gone or come meanwhile)."""
    frames = page.frames
    if len(frames) == 1:
        return frames
    try:
        read = await page.main_frame.evaluate_handle(READ_FRAMES_JS, words)
        quiet = int(await (await read.get_property("quiet")).json_value())
        foreign: list[bool] = await (await read.get_property("foreign")).json_value()
        elements = [h.as_element() for h in (await (await read.get_property("need")).get_properties()).values()]
        chosen = await asyncio.gather(*(e.content_frame() for e in elements if e is not None))
    except PlaywrightError:
        return frames
    if len(chosen) != len(foreign) or any(f is None for f in chosen):
        return frames
    need = {f for f in chosen if f is not None}
    closed = {f for f, unread in zip(chosen, foreign, strict=True) if unread and f is not None}
    below = {f for f in frames if _below(f, closed)}
    if quiet + len(need) + len(below) != len(frames) - 1 or need & below:
        return frames
    keep = {page.main_frame, *need, *below}
    return [f for f in frames if f in keep]
