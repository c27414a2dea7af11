() => {
  const out = [];
  const shown = (el) => {
    if (!el || !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    const text = n.textContent.trim();
    const style = el && getComputedStyle(el);
    if (!text || !el || style.fontFamily.includes("Material") || parseFloat(style.fontSize) === 0 || el.closest("[data-testid='stIconMaterial'], script, style, noscript")) continue;
    if (shown(el)) out.push(text);
  }
  for (const el of document.querySelectorAll("input[placeholder], textarea[placeholder]")) {
    const hidden = getComputedStyle(el, "::placeholder").color === "rgba(0, 0, 0, 0)";
    if (shown(el) && !el.value && !hidden) out.push(el.placeholder);
  }
  for (const el of document.querySelectorAll("*")) {
    for (const pseudo of ["::before", "::after"]) {
      const c = getComputedStyle(el, pseudo).content;
      if (c && c !== "none" && c !== "normal" && c.startsWith('"') && shown(el)) out.push(c.slice(1, -1));
    }
  }
  return out;
}
