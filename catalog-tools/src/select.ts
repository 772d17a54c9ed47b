import type { UpstreamModel } from './types.js';

/**
 * Ids of models that are not general chat or embedding models even when an upstream lists them as
 * such: fine-tune placeholders, realtime, speech, transcription, moderation, image and video models.
 */
const EXCLUDED_ID =
  /(^ft:|realtime|(^|[-_/.])tts|transcribe|whisper|moderation|(^|[-/])gpt-audio|-audio-preview|native-audio|image|dall-e|sora|veo|imagen|(^|-)live(-|$)|computer-use-preview|container)/i;

/**
 * Whether an upstream record is a current chat or embedding model worth listing in a provider YAML:
 * chat or embedding type, not deprecated, answers in text (chat), not a legacy text-completion entry
 * and not one of the special-purpose ids above.
 */
export function isSeedCandidate(model: UpstreamModel): boolean {
  if (model.type !== 'chat' && model.type !== 'embedding') return false;
  if (model.status === 'deprecated' || model.status === 'retired') return false;
  if (model.mode === 'completion') return false;
  if (model.type === 'chat' && !model.modalities.output.includes('text')) return false;
  return !EXCLUDED_ID.test(model.id);
}

const SNAPSHOT_SUFFIXES = [
  /-latest$/,
  /-\d{4}-\d{2}-\d{2}$/,
  /-\d{8}$/,
  /-(0\d|1[0-2])\d{2}$/,
  /-\d{2}(0[1-9]|1[0-2])$/,
  /-0\d\d$/,
  /-preview-\d{2}-\d{2}$/,
];

/**
 * The id a dated snapshot or `-latest` id points at: `gpt-4o-2024-08-06` -> `gpt-4o`,
 * `claude-sonnet-4-5-20250929` -> `claude-sonnet-4-5`, `mistral-large-2411` -> `mistral-large`,
 * `gemini-2.0-flash-001` -> `gemini-2.0-flash`. Ids without such a suffix are returned unchanged.
 */
export function snapshotBase(id: string): string {
  for (const suffix of SNAPSHOT_SUFFIXES) {
    if (suffix.test(id)) return id.replace(suffix, '');
  }
  return id;
}
