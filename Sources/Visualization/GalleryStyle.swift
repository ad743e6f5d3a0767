/// The gallery page's style and script, inline so the page opens from disk without a server.
enum GalleryAssets {
    static let style = #"""
    :root { --fg: #1d2129; --muted: #6b7280; --line: #e5e7eb; --bg: #fff; --head: #f8fafc;
            --ok: #15803d; --bad: #b91c1c; --accent: #2563eb; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 13px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
           color: var(--fg); background: var(--bg); }
    header { position: sticky; top: 0; z-index: 2; background: var(--head);
             border-bottom: 1px solid var(--line); padding: 8px 14px 8px; display: flex; flex-wrap: wrap;
             gap: 6px 28px; align-items: center; }
    .titles h1 { font-size: 16px; margin: 0; display: inline; }
    .titles .sub { color: var(--muted); margin-left: 10px; font-family: ui-monospace, monospace;
                   font-size: 12px; }
    #stats { display: flex; gap: 22px; flex-wrap: wrap; }
    .run { display: flex; gap: 10px; align-items: center; }
    .run .name { font-weight: 600; max-width: 220px; overflow: hidden; text-overflow: ellipsis;
                 white-space: nowrap; }
    .run dl { display: grid; grid-template-columns: auto auto; gap: 0 8px; margin: 0; font-size: 12px; }
    .run dt { color: var(--muted); }
    .run dd { margin: 0; font-variant-numeric: tabular-nums; text-align: right; }
    .hist rect:hover { opacity: .7; }
    .hist text { font-size: 9px; fill: var(--muted); }
    #controls { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center; width: 100%; }
    #controls label { color: var(--muted); }
    select, input[type=search] { font: inherit; padding: 3px 6px; border: 1px solid #cbd5e1;
                                 border-radius: 4px; background: #fff; }
    input[type=search] { width: 220px; }
    .seg { display: inline-flex; border: 1px solid #cbd5e1; border-radius: 4px; overflow: hidden; }
    .seg button { font: inherit; border: 0; background: #fff; padding: 3px 9px; cursor: pointer;
                  border-right: 1px solid #cbd5e1; }
    .seg button:last-child { border-right: 0; }
    .seg button.on { background: var(--accent); color: #fff; }
    #count { color: var(--muted); margin-left: auto; font-variant-numeric: tabular-nums; }
    table { border-collapse: collapse; width: 100%; }
    thead th { position: sticky; top: var(--head-h, 0px); z-index: 1; background: #fff; text-align: left;
               font-weight: 600; color: var(--muted); font-size: 12px; padding: 5px 8px;
               border-bottom: 1px solid var(--line); white-space: nowrap; user-select: none; }
    thead th[data-key] { cursor: pointer; } thead th[data-key]:hover { color: var(--fg); }
    thead th.sorted { color: var(--accent); }
    td { padding: 3px 8px; border-bottom: 1px solid var(--line); vertical-align: middle; }
    tbody tr:nth-child(even) { background: #fbfbfc; }
    tbody tr:hover { background: #eef4ff; }
    tr.ok td:first-child { box-shadow: inset 3px 0 var(--ok); }
    tr.bad td:first-child { box-shadow: inset 3px 0 var(--bad); }
    td.n { color: var(--muted); font-variant-numeric: tabular-nums; text-align: right; width: 1%; }
    td.th { width: 1%; } td.th a { display: block; line-height: 0; position: relative; }
    /* Hovering shows the thumbnail at its own resolution (120 px high) without leaving the list. */
    td.th img { transition: transform .08s ease-out; transform-origin: left center; }
    td.th a:hover img { transform: scale(1.5); position: relative; z-index: 3; box-shadow: 0 4px 18px #0005; }
    td.th img { height: 80px; width: auto; min-width: 60px; background: #eee; border-radius: 2px; }
    .id { font-family: ui-monospace, monospace; font-size: 12px; word-break: break-all; }
    .cls, .conf { color: var(--muted); }
    .pc.right { color: var(--ok); } .pc.wrong { color: var(--bad); }
    .num { font-variant-numeric: tabular-nums; text-align: right; white-space: nowrap; }
    .iou { width: 1%; }
    .iou span { display: inline-block; width: 44px; text-align: right; margin-right: 6px; }
    td.pred { width: 230px; } td.img { min-width: 250px; }
    .bar { display: inline-block; vertical-align: middle; width: 48px; height: 7px; background: #eceff3;
           border-radius: 4px; overflow: hidden; } .bar i { display: block; height: 100%; }
    .up { color: var(--ok); } .down { color: var(--bad); }
    #more { height: 40px; text-align: center; color: var(--muted); padding: 12px; }
    .empty { padding: 30px; text-align: center; color: var(--muted); }
    """#
}
