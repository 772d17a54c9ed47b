import { describe, expect, it } from 'vitest';
import { ContinuationAligner, resumePoint, splitTrailingWhitespace } from './text.js';

describe('resumePoint', () => {
  it('exact keeps everything', () => {
    expect(resumePoint('a\n\nb c', 'exact')).toEqual({ kept: 'a\n\nb c', dropped: '' });
  });
  it('paragraph keeps up to the last blank line', () => {
    expect(resumePoint('One.\n\nTwo.\n \nThree is cu', 'paragraph')).toEqual({
      kept: 'One.\n\nTwo.\n \n',
      dropped: 'Three is cu',
    });
    expect(resumePoint('One.\n\nTwo.\n\n', 'paragraph')).toEqual({ kept: 'One.\n\nTwo.\n\n', dropped: '' });
    expect(resumePoint('No break yet', 'paragraph')).toEqual({ kept: '', dropped: 'No break yet' });
    expect(resumePoint('One.\nsame paragraph', 'paragraph')).toEqual({ kept: '', dropped: 'One.\nsame paragraph' });
  });
});

describe('ContinuationAligner', () => {
  const run = (shown: string, deltas: string[]) => {
    const aligner = new ContinuationAligner(shown);
    return deltas.map((delta) => aligner.push(delta)).join('') + aligner.flush();
  };
  it('passes text through when nothing is shown', () => {
    expect(run('', [' world', '!'])).toBe(' world!');
  });
  it('drops a separator the consumer already has', () => {
    expect(run('\n\n', ['\n', '\nNext', ' para'])).toBe('Next para');
    expect(run(' ', [' world'])).toBe('world');
  });
  it('keeps extra whitespace beyond the shown separator', () => {
    expect(run('\n', ['\n\nNext'])).toBe('\nNext');
  });
  it('keeps the shown separator when the model sends none or another one', () => {
    expect(run('\n\n', ['Next'])).toBe('Next');
    expect(run('\n\n', [' Next'])).toBe('Next');
  });
  it('flushes held whitespace at the end', () => {
    expect(run('', ['  '])).toBe('  ');
    expect(run(' ', ['  '])).toBe(' ');
  });
  it('splits trailing whitespace', () => {
    expect(splitTrailingWhitespace('a b \n')).toEqual(['a b', ' \n']);
    expect(splitTrailingWhitespace('ab')).toEqual(['ab', '']);
  });
});
