#!/usr/bin/env bash
# Writes .dvc/offline_plots.html: DVC's plots page with Vega, Vega-Lite and Vega-Embed inlined, so that
# `dvc plots show` / `dvc plots diff` render with no network (DVC's own page loads them from a CDN).
# .dvc/config points plots.html_template at it. Versions are the ones DVC's renderer asks for.
# Needs npm (the npm registry); run from the repository root.
set -euo pipefail
packages=(vega@5.20.2 vega-lite@5.2.0 vega-embed@6.18.2)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=.dvc/offline_plots.html
{
  echo '<!DOCTYPE html>'
  echo '<html>'
  echo '<head>'
  echo '    {refresh_tag}'
  echo '    <meta charset="utf-8">'
  echo '    <title>DVC Plot (offline)</title>'
  for package in "${packages[@]}"; do
    (cd "$work" && npm pack "$package" --silent >/dev/null 2>&1)
    name=${package%@*}
    mkdir -p "$work/$name" && tar xzf "$work/$name"-*.tgz -C "$work/$name"
    echo "    <!-- $package, $(head -1 "$work/$name/package/LICENSE"); BSD-3-Clause:"
    sed 's/--/- -/g' "$work/$name/package/LICENSE"
    echo "    -->"
    echo "    <script>"
    sed 's#</script#<\\/script#g' "$work/$name/package/build/$name.min.js"
    echo
    echo "    </script>"
  done
  echo '    <style>table { border-spacing: 15px; }</style>'
  echo '</head>'
  echo '<body>'
  echo '    {plot_divs}'
  echo '</body>'
  echo '</html>'
} > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out ($(wc -c < "$out") bytes)"
