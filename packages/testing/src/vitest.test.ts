/**
 * defineContractTests fails where a contract is broken: a nested vitest run (vitest's own
 * `startVitest`, results never updated) of the README example with the user's code changed to send
 * another question, to send nothing, or to return another result.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startVitest } from 'vitest/node';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** The failure messages of a nested run of test/contract-run/broken.case.ts with `variant`. */
async function failures(variant: string): Promise<string[]> {
  process.env.CASE_VARIANT = variant;
  const vitest = await startVitest(
    'test',
    [],
    {
      root: ROOT,
      config: false,
      watch: false,
      update: false,
      include: ['packages/testing/test/contract-run/*.case.ts'],
      reporters: [{}],
      pool: 'forks',
    },
    { resolve: { conditions: ['@switchboard/source'] }, ssr: { resolve: { conditions: ['@switchboard/source'] } } },
  );
  const messages = vitest.state
    .getFiles()
    .flatMap((file) => file.tasks.flatMap((suite) => ('tasks' in suite ? suite.tasks : [suite])))
    .flatMap((test) => (test.result?.errors ?? []).map((error) => `${test.name}: ${error.message}`));
  await vitest.close();
  return messages;
}

afterEach(() => {
  delete process.env.CASE_VARIANT;
});

describe('defineContractTests', () => {
  it('passes the unbroken example', async () => {
    expect(await failures('none')).toEqual([]);
  });

  it('fails a case whose request differs, with the recording and the differing field', async () => {
    const messages = await failures('sends-other');
    expect(messages).toHaveLength(2);
    expect(messages[1]).toContain('openai/describe-paris [undici]: ');
    expect(messages[1]).toContain(
      'body.messages[0].content: recorded "Describe Paris in five words.", sent "Describe Paris in six words."',
    );
  });

  it('fails a case whose recorded request was never sent', async () => {
    const messages = await failures('sends-nothing');
    expect(messages).toHaveLength(2);
    expect(messages[0]).toContain('recorded requests your code did not send');
  });

  it('fails a case whose result differs from the results file', async () => {
    const messages = await failures('other-result');
    expect(messages).toHaveLength(2);
    expect(messages[1]).toMatch(/openai\/describe-paris \[undici\]: .*[Ss]napshot/);
  });
});
