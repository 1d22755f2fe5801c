/** The status page stylesheet, served as /ui/assets/app.css (no inline styles: CSP style-src 'self'). */
export const APP_CSS = `
:root{--bg:#f6f7f9;--card:#fff;--fg:#1c2430;--muted:#667085;--border:#e3e6eb;--ok:#22a55b;--fail:#dc3b30;--unknown:#b8bec8;--accent:#2460c8;--chip:#eef1f5;--warn:#b25e00;--ok-strong:#15803d;--fail-strong:#c62a20;--fail-text:#b42318;--ok-text:#146c34;--accent-text:#1f56b8;color-scheme:light}
[data-theme=dark]{--bg:#0f141b;--card:#171e27;--fg:#e4e9f0;--muted:#93a0b1;--border:#2a3441;--ok:#2ebd6b;--fail:#f0564b;--unknown:#4a5563;--accent:#6ea2ff;--chip:#222c38;--warn:#c27a1a;--ok-strong:#1f8f4e;--fail-strong:#c9362c;--fail-text:#ff8a80;--ok-text:#5fd68f;--accent-text:#8fb8ff;color-scheme:dark}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Ubuntu,sans-serif}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
.site{display:flex;align-items:center;gap:12px;justify-content:space-between;max-width:1100px;margin:0 auto;padding:20px 16px 8px}
.site h1{margin:0;font-size:22px}
.brand{display:flex;gap:12px;align-items:center;min-width:0}.logo{width:40px;height:40px;object-fit:contain;flex:none}
.site-buttons{display:flex;flex-wrap:wrap;gap:8px;max-width:1100px;margin:0 auto;padding:4px 16px}
.site-button{background:var(--card);border:1px solid var(--border);border-radius:8px;padding:5px 12px;font-weight:600}
.dashboard-heading{max-width:1100px;margin:10px auto 0;padding:0 16px}.dashboard-heading h2{margin:0;font-size:20px}.dashboard-heading p{margin:2px 0 0;color:var(--muted)}
.site p{margin:2px 0 0;color:var(--muted)}
#theme-toggle{background:var(--card);color:var(--fg);border:1px solid var(--border);border-radius:8px;padding:6px 10px;cursor:pointer}
main{max-width:1100px;margin:0 auto;padding:8px 16px 40px}
.toolbar{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:8px 0 16px}
.toolbar input,.toolbar select{background:var(--card);color:var(--fg);border:1px solid var(--border);border-radius:8px;padding:7px 10px;font:inherit}
.toolbar .search{flex:1 1 240px;min-width:160px}
.counts{color:var(--muted);margin-left:auto}
.toolbar select{max-width:100%}
.group{background:var(--card);border:1px solid var(--border);border-radius:12px;margin-bottom:14px;overflow:hidden}
.group-head{display:flex;align-items:center;gap:8px;width:100%;padding:12px 16px;background:none;border:0;border-bottom:1px solid var(--border);color:var(--fg);font-family:inherit;font-size:15px;font-weight:600;line-height:1.3;cursor:pointer;text-align:left}
.group-head[aria-expanded=false]{border-bottom:0}
.group-name{flex:1}
.chevron{width:1em;color:var(--muted)}
.endpoint{padding:12px 16px;border-bottom:1px solid var(--border)}
.endpoint:last-child{border-bottom:0}
.ep-head{display:flex;align-items:center;gap:10px;margin-bottom:6px;min-width:0}
.ep-name{font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;min-width:0}
.ep-rt{margin-left:auto;color:var(--muted);font-variant-numeric:tabular-nums}
.pill{display:inline-block;border-radius:999px;padding:1px 9px;font-size:12px;font-weight:600;background:var(--chip);color:var(--muted);white-space:nowrap}
.pill.up{background:color-mix(in srgb,var(--ok) 16%,transparent);color:var(--ok-text)}
.pill.down{background:color-mix(in srgb,var(--fail) 16%,transparent);color:var(--fail-text)}
.pill.maint{color:var(--accent-text)}
.bars{display:flex;gap:2px;height:26px;align-items:stretch}
.bar{flex:1 1 0;min-width:2px;border-radius:3px;background:var(--unknown)}
.bar.ok{background:var(--ok)}.bar.fail{background:var(--fail)}.bar.empty{opacity:.35}
.bar:hover{filter:brightness(1.2);transform:scaleY(1.08)}
.bars{cursor:pointer;border-radius:4px}.bars:focus-visible{outline:2px solid var(--accent);outline-offset:3px}
.bar.selected{outline:2px solid var(--fg);outline-offset:1px}
.bar-detail{margin-top:8px;padding:8px 10px;border:1px solid var(--border);border-radius:8px;background:var(--bg);font-size:13px;font-variant-numeric:tabular-nums;word-break:break-word}
.fail-text{color:var(--fail-text)}
.group-count{font-size:12px;font-weight:400}
.ep-foot{display:flex;justify-content:space-between;gap:8px;margin-top:6px;color:var(--muted);font-size:12px;font-variant-numeric:tabular-nums}
.uptimes{display:flex;gap:14px;flex-wrap:wrap}
.pager{display:flex;gap:12px;align-items:center;justify-content:center;margin-top:12px;color:var(--muted)}
.pager button,.ranges button{background:var(--card);color:var(--fg);border:1px solid var(--border);border-radius:8px;padding:5px 12px;cursor:pointer;font:inherit}
.pager button:disabled{opacity:.4;cursor:default}
.ranges{display:flex;gap:6px}.ranges button.active{border-color:var(--accent);color:var(--accent)}
.empty-note,.muted{color:var(--muted)}
.error{color:var(--fail-text)}
.crumbs{margin:4px 0 12px}
.detail-head{display:flex;align-items:center;gap:12px;flex-wrap:wrap}
.detail-name{margin:0;font-size:22px;word-break:break-word}
.url{word-break:break-all;margin:4px 0 12px}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:10px;margin:16px 0}
.stat{background:var(--card);border:1px solid var(--border);border-radius:10px;padding:10px 12px}
.stat-value{font-size:18px;font-weight:650;font-variant-numeric:tabular-nums}
.stat-label{color:var(--muted);font-size:12px}
.stat.warn .stat-value{color:var(--fail-text)}
.card{background:var(--card);border:1px solid var(--border);border-radius:12px;padding:14px 16px;margin-bottom:14px}
.card h3{margin:0 0 10px;font-size:15px}
.card-head{display:flex;justify-content:space-between;align-items:center;gap:8px;flex-wrap:wrap}
.chart{max-width:100%;height:auto;display:block}
.chart .grid{stroke:var(--border)}
.chart .axis{fill:var(--muted);font-size:12px}
.chart .line{fill:none;stroke:var(--accent);stroke-width:2;stroke-linejoin:round}
.chart .area{fill:var(--accent);fill-opacity:.12;stroke:none}
.chart .dot{fill:var(--accent)}.chart .dot.fail{fill:var(--fail)}
.results{list-style:none;margin:0;padding:0}
.more{margin-top:10px;background:var(--card);color:var(--accent);border:1px solid var(--border);border-radius:8px;padding:5px 12px;cursor:pointer;font:inherit}
.result{border-top:1px solid var(--border);padding:8px 0}
.result-head{display:flex;gap:10px;align-items:center;flex-wrap:wrap}
.conditions,.errors{list-style:none;margin:6px 0 0 0;padding-left:4px;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;word-break:break-word}
.cond.ok{color:var(--ok-text)}.cond.fail,.errors li{color:var(--fail-text)}
.alerts{list-style:none;margin:0;padding:0}
.alerts li{display:flex;gap:10px;align-items:center;flex-wrap:wrap;padding:6px 0;border-top:1px solid var(--border)}
.fingerprint{font-size:12px;background:var(--chip);padding:1px 6px;border-radius:6px}
.banners{margin:4px 0 12px}
.banner{display:flex;flex-wrap:wrap;gap:10px;align-items:center;padding:14px 16px;border-radius:12px;border:1px solid var(--border);background:var(--card);font-size:16px}
.banner.ok{border-color:var(--ok)}.banner.partial{border-color:var(--warn)}.banner.major{border-color:var(--fail)}.banner.maintenance{border-color:var(--accent)}
.banner-icon{display:inline-grid;place-items:center;width:26px;height:26px;border-radius:50%;background:var(--unknown);color:#fff;font-weight:700;font-size:15px}
.banner.ok .banner-icon{background:var(--ok-strong)}.banner.partial .banner-icon{background:var(--warn)}.banner.major .banner-icon{background:var(--fail-strong)}.banner.maintenance .banner-icon{background:var(--accent)}
.updated{margin-left:auto;color:var(--muted);font-size:13px;font-variant-numeric:tabular-nums}
.notice{display:flex;flex-wrap:wrap;gap:8px;align-items:baseline;margin-top:8px;padding:10px 14px;border-radius:10px;border:1px solid var(--border);border-left:4px solid var(--accent);background:var(--card)}
.notice.outage{border-left-color:var(--fail)}.notice.warning{border-left-color:var(--warn)}.notice.operational{border-left-color:var(--ok)}
.toggle{background:var(--card);color:var(--fg);border:1px solid var(--border);border-radius:8px;padding:7px 10px;font:inherit;cursor:pointer}
.toggle[aria-pressed=true]{border-color:var(--fail);color:var(--fail-text);font-weight:600}
[data-layout=compact] .endpoint{display:flex;align-items:center;gap:12px;padding:6px 14px}
[data-layout=compact] .ep-head{flex:0 0 min(40%,340px);margin:0}
[data-layout=compact] .bars-wrap{flex:1 1 auto;min-width:0}
[data-layout=compact] .bars{height:16px}
[data-layout=compact] .ep-foot,[data-layout=grid] .ep-foot,[data-layout=grid] .ep-rt{display:none}
[data-layout=grid] .group-body:not([hidden]){display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:1px;background:var(--border)}
[data-layout=grid] .endpoint{background:var(--card);border:0;padding:8px 10px}
[data-layout=grid] .ep-head{margin-bottom:4px}
[data-layout=grid] .bars{height:14px;gap:1px}
.days{display:flex;gap:2px;height:30px}
.dday{flex:1 1 0;min-width:1px;border-radius:2px;background:var(--unknown)}
.dday.none{opacity:.35}.dday.ok{background:var(--ok)}.dday.warn{background:var(--warn)}.dday.fail{background:var(--fail)}
.days-legend{display:flex;justify-content:space-between;font-size:12px;margin-top:4px}
.timeline h4.day{margin:10px 0 4px;font-size:13px;color:var(--muted)}
.incidents{list-style:none;margin:0;padding:0}
.incident{display:flex;flex-wrap:wrap;gap:8px;align-items:center;padding:5px 0;border-top:1px solid var(--border)}
.incident-name{font-weight:600}
@media (max-width:640px){.site{padding-top:12px}.site h1{font-size:18px}.ep-foot{flex-direction:column}.counts{margin-left:0;width:100%}.bars{height:22px}}
@media (prefers-reduced-motion:reduce){.bar:hover{transform:none}}
`;
