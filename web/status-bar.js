// The status bar sticks to the top of the window. Whatever the browser scrolls into view (the
// focused field, a #fragment) must land below it, so the page's scroll padding follows the bar's
// height, which changes with the length of its message.

const GAP_PX = 8;

/** @param {HTMLElement} bar */
export function keepClearOfStatusBar(bar) {
  const root = document.documentElement;
  const reserve = () => {
    root.style.setProperty('--status-bar-height', `${Math.ceil(bar.offsetHeight) + GAP_PX}px`);
  };
  reserve();
  new ResizeObserver(reserve).observe(bar);
}
