// <Uploader>'s default look, as one string put in a <style data-s3-direct-upload> once per document,
// so that no CSS import is needed. Selectors sit in :where() (no specificity), so any app rule wins;
// colours come from custom properties an app sets anywhere above (--s3u-accent, --s3u-bg, --s3u-fg,
// --s3u-muted, --s3u-border, --s3u-error, --s3u-success, --s3u-radius), with light and dark defaults.

import * as React from 'react';

export const STYLE_ATTRIBUTE = 'data-s3-direct-upload';

// Written minified, one rule a line, because it ships as this very text. The bar (.s3u-bar) runs under
// the name and size, not under the thumbnail's column alone; a paused or waiting bar keeps its length in
// the muted colour, and the status text says "Paused" or what it waits for too.
export const UPLOADER_CSS = `:where(.s3u){--_accent:var(--s3u-accent,#1d4ed8);--_bg:var(--s3u-bg,#fff);--_fg:var(--s3u-fg,#1f2937);--_muted:var(--s3u-muted,#4b5563);--_border:var(--s3u-border,#9ca3af);--_error:var(--s3u-error,#b91c1c);--_success:var(--s3u-success,#15803d);--_radius:var(--s3u-radius,8px);color:var(--_fg);background:var(--_bg);font:inherit;display:grid;gap:.75rem}
@media (prefers-color-scheme: dark){:where(.s3u){--_accent:var(--s3u-accent,#93c5fd);--_bg:var(--s3u-bg,#111827);--_fg:var(--s3u-fg,#f3f4f6);--_muted:var(--s3u-muted,#d1d5db);--_border:var(--s3u-border,#6b7280);--_error:var(--s3u-error,#fca5a5);--_success:var(--s3u-success,#86efac)}}
:where(.s3u) :focus-visible{outline:3px solid var(--_accent);outline-offset:2px}
:where(.s3u-drop){border:2px dashed var(--_border);border-radius:var(--_radius);padding:1.5rem;text-align:center;cursor:pointer}
:where(.s3u-drop[data-drag="accept"]){border-color:var(--_accent);border-style:solid}
:where(.s3u-drop[data-drag="reject"]){border-color:var(--_error);border-style:solid}
:where(.s3u-drop[aria-disabled="true"]){cursor:not-allowed;opacity:.6}
:where(.s3u-drop-title){margin:0;font-weight:600}
:where(.s3u-drop-hint){margin:.4rem 0 0;color:var(--_muted);font-size:.9em;text-align:center}
:where(.s3u-rejections,.s3u-list){list-style:none;margin:0;padding:0;display:grid;gap:.5rem}
:where(.s3u-rejections li){color:var(--_error)}
:where(.s3u-row){display:grid;grid-template-columns:auto 1fr auto;gap:.25rem .75rem;align-items:center;border:1px solid var(--_border);border-radius:var(--_radius);padding:.5rem .75rem}
:where(.s3u-thumb){width:3rem;height:3rem;object-fit:cover;border-radius:calc(var(--_radius)/2);grid-row:span 2}
:where(.s3u-thumb-none){width:3rem;height:3rem;grid-row:span 2}
:where(.s3u-name){font-weight:600;overflow-wrap:anywhere}
:where(.s3u-size,.s3u-status){color:var(--_muted);font-size:.9em}
:where(.s3u-row[data-status="success"] .s3u-status){color:var(--_success)}
:where(.s3u-row[data-status="error"] .s3u-status){color:var(--_error)}
:where(.s3u-resumed){color:var(--_fg);font-weight:600}
:where(.s3u-actions button[aria-disabled="true"]){cursor:progress;opacity:.7}
:where(.s3u-actions){display:flex;gap:.5rem;grid-row:span 2}
:where(.s3u-actions button){font:inherit;color:var(--_fg);background:transparent;border:1px solid var(--_border);border-radius:calc(var(--_radius)/2);padding:.25rem .6rem;cursor:pointer}
:where(.s3u-bar){grid-column:2/-1;height:.4rem;background:color-mix(in srgb,var(--_border) 35%,transparent);border-radius:999px;overflow:hidden}
:where(.s3u-bar-fill){height:100%;background:var(--_accent);transition:width 120ms linear}
:where(.s3u-row[data-status="paused"] .s3u-bar-fill,.s3u-row[data-status="waiting"] .s3u-bar-fill){background:var(--_muted)}
@media (prefers-reduced-motion: reduce){:where(.s3u-bar-fill){transition:none}}
:where(.s3u-summary){margin:0;color:var(--_muted);font-size:.9em}
:where(.s3u-error){grid-column:1/-1;color:var(--_error);background:color-mix(in srgb,var(--_error) 10%,transparent);border-radius:calc(var(--_radius)/2);padding:.35rem .6rem}
:where(.s3u-error p){margin:.25rem 0}
:where(.s3u-error-hint){color:var(--_fg)}
:where(.s3u-details pre){white-space:pre-wrap;overflow-wrap:anywhere;margin:0;font-size:.85em}
:where(.s3u-details dt){font-weight:600;margin-top:.25rem}
:where(.s3u-details dd){margin:0}
`;

/**
 * Puts the stylesheet in the document once, before layout (useInsertionEffect is for exactly this). It
 * stays after unmount: another <Uploader> may use it, and it is small. On the server nothing happens.
 */
export function useUploaderStyles(enabled: boolean): void {
  React.useInsertionEffect(() => {
    if (!enabled || document.head.querySelector(`style[${STYLE_ATTRIBUTE}]`)) return;
    const style = document.createElement('style');
    style.setAttribute(STYLE_ATTRIBUTE, '');
    style.textContent = UPLOADER_CSS;
    document.head.append(style);
  }, [enabled]);
}
