#!/usr/bin/env bash
# Writes tests/two_sentences.pcm (16 kHz mono PCM16 LE): 0.8 s of silence, a sentence, 1 s of silence,
# another sentence, 0.5 s of silence. Needs espeak-ng and sox (apt-get install espeak-ng sox).
# The silences are exact zeros and each sentence is trimmed to where its sound starts and ends, so the
# tests can recover the true speech spans from the file itself (runs of zeros longer than 300 ms).
# The committed file was made with eSpeak NG 1.51 and SoX 14.4; other versions give slightly other audio.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say() { # text, output: synthesised, resampled without dither (reproducible), leading and trailing quiet cut off
    espeak-ng -v en-us -s 165 -w "$work/say.wav" "$1"
    sox -D "$work/say.wav" -r 16000 -c 1 -b 16 -e signed-integer -t raw "$2" silence 1 0.01 0.5% reverse silence 1 0.01 0.5% reverse
}
zeros() { head -c $(($1 * 32)) /dev/zero; } # milliseconds of digital silence at 16 kHz, 2 bytes a sample
say "The quick brown fox jumps over the lazy dog." "$work/one.raw"
say "Many rivers run along the valley floor." "$work/two.raw"
{ zeros 800; cat "$work/one.raw"; zeros 1000; cat "$work/two.raw"; zeros 500; } > tests/two_sentences.pcm
echo "wrote tests/two_sentences.pcm ($(stat -c %s tests/two_sentences.pcm) bytes)"
