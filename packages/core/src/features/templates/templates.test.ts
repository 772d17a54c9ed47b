import { describe, expect, it } from 'vitest';
import { defineTemplate } from './define-template.js';
import { TemplateError } from './template-errors.js';

describe('defineTemplate', () => {
  const review = defineTemplate({
    template: `Review this {{ language }} code.
{% if focus %}Focus on {{ focus }}.{% endif %}
{% case tone %}{% when "strict" %}Be strict.{% when "kind" %}Be kind.{% endcase %}
{{ code }}`,
    variables: {
      language: { type: 'string', required: true, enum: ['typescript', 'python'] },
      code: { type: 'string', required: true },
      focus: { type: 'string' },
      tone: { enum: ['strict', 'kind'], default: 'kind' },
    },
  });

  it('renders with defaults, conditionals and case', () => {
    expect(review.render({ language: 'typescript', code: 'let x = 1' })).toBe(
      'Review this typescript code.\n\nBe kind.\nlet x = 1',
    );
    expect(review.render({ language: 'python', code: 'x = 1', focus: 'naming', tone: 'strict' })).toBe(
      'Review this python code.\nFocus on naming.\nBe strict.\nx = 1',
    );
  });

  it('validates before rendering: missing, enum, type', () => {
    expect(() => review.render({ code: 'x' })).toThrow("Missing required template variable 'language'");
    try {
      review.render({ language: 'rust', code: 'x' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TemplateError);
      expect((error as TemplateError).variable).toBe('language');
      expect((error as Error).message).toContain('must be one of "typescript", "python"; got "rust"');
    }
    expect(() => review.render({ language: 'python', code: 42 })).toThrow(
      "Template variable 'code' must be a string, got number",
    );
  });

  it('rejects templates using undeclared variables, and invalid syntax', () => {
    expect(() => defineTemplate({ template: 'Hi {{ nmae }}', variables: { name: { required: true } } })).toThrow(
      "undeclared variable 'nmae'",
    );
    expect(() => defineTemplate({ template: '{% if x %}unclosed', variables: { x: {} } })).toThrow(/Invalid template/);
    expect(defineTemplate({ template: 'Hi {{ name }}' }).uses).toEqual(['name']);
  });

  it('renders messages and sections', () => {
    const chat = defineTemplate({
      template: [
        { role: 'system', content: 'You are a {{ role }}.{% render "rules", strict: strict %}' },
        { role: 'user', content: '{% for q in questions %}- {{ q }}\n{% endfor %}' },
      ],
      sections: { rules: '{% if strict %} Follow the rules exactly.{% endif %}' },
      variables: {
        role: { default: 'tutor' },
        strict: { type: 'boolean', default: false },
        questions: { type: 'array', required: true },
      },
    });
    expect(chat.render({ questions: ['a?', 'b?'], strict: true })).toEqual([
      { role: 'system', content: 'You are a tutor. Follow the rules exactly.' },
      { role: 'user', content: '- a?\n- b?' },
    ]);
  });

  it('does not escape prompt text and hides prototypes', () => {
    const t = defineTemplate({ template: '{{ text }}' });
    expect(t.render({ text: '<b>"quoted" & raw</b>' })).toBe('<b>"quoted" & raw</b>');
    const probe = defineTemplate({ template: '{{ text.constructor }}', strict: false });
    expect(() => probe.render({ text: 'x' })).toThrow(TemplateError);
  });
});
