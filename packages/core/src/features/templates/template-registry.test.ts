import { describe, expect, it } from 'vitest';
import { defineTemplate } from './define-template.js';
import { TemplateError } from './template-errors.js';
import { createTemplateRegistry } from './template-registry.js';

const review = defineTemplate({
  template: 'Review this {{ language }} code{% if focus %} for {{ focus }}{% endif %} in {{ project }}:\n{{ code }}',
  variables: {
    language: { type: 'string', required: true },
    code: { type: 'string', required: true },
    focus: { type: 'string' },
    project: { type: 'string', required: true },
  },
});

describe('createTemplateRegistry', () => {
  it('renders registered templates by id with conditionals, and lists them by category', () => {
    const registry = createTemplateRegistry()
      .register({ id: 'review', name: 'Code review', category: 'code', template: review })
      .register({ id: 'hello', category: 'chat', template: defineTemplate({ template: 'Hello {{ name }}' }) });
    expect(registry.render('review', { language: 'ts', code: 'let x', focus: 'naming', project: 'sb' })).toBe(
      'Review this ts code for naming in sb:\nlet x',
    );
    expect(registry.list().map((t) => [t.id, t.name, t.category])).toEqual([
      ['review', 'Code review', 'code'],
      ['hello', 'hello', 'chat'],
    ]);
    expect(registry.list({ category: 'code' })[0]?.variables.language).toEqual({ type: 'string', required: true });
    expect(registry.list({ category: 'code' })[0]?.uses).toContain('focus');
  });

  it('injects context into every render that asks for it; the caller wins', () => {
    const seen: unknown[] = [];
    const registry = createTemplateRegistry()
      .inject('project', (variables, context) => {
        seen.push([variables, context]);
        return { project: (context.project as string | undefined) ?? 'default-project', unrelated: 1 };
      })
      .register({ id: 'review', category: 'code', template: review, inject: ['project'] })
      .register({ id: 'plain', template: review });
    expect(registry.render('review', { language: 'ts', code: 'x' }, { context: { project: 'switchboard' } })).toBe(
      'Review this ts code in switchboard:\nx',
    );
    expect(seen).toEqual([[{ language: 'ts', code: 'x' }, { project: 'switchboard' }]]);
    expect(registry.render('review', { language: 'ts', code: 'x', project: 'mine' })).toBe(
      'Review this ts code in mine:\nx',
    );
    // A template that does not ask gets nothing injected...
    expect(() => registry.render('plain', { language: 'ts', code: 'x' })).toThrow(
      "Missing required template variable 'project'",
    );
    // ...unless the render asks.
    expect(registry.render('plain', { language: 'ts', code: 'x' }, { inject: ['project'] })).toBe(
      'Review this ts code in default-project:\nx',
    );
  });

  it('names unknown ids, missing variables, unknown injectors and duplicates', () => {
    const registry = createTemplateRegistry().register({ id: 'review', template: review });
    expect(() => registry.render('reveiw', {})).toThrow("Unknown template 'reveiw' (registered: 'review')");
    try {
      registry.render('review', { language: 'ts', project: 'p' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TemplateError);
      expect((error as TemplateError).variable).toBe('code');
    }
    expect(() => registry.render('review', {}, { inject: ['session'] })).toThrow(
      "asks for context injector 'session', which is not registered",
    );
    expect(() => registry.register({ id: 'review', template: review })).toThrow(
      "Template 'review' is already registered",
    );
    expect(() => registry.register({ id: '', template: review })).toThrow('`id` must be a non-empty string');
  });
});
