/**
 * Bedrock's models list: ListFoundationModels on the control-plane host, parsed from a body shaped
 * like the API reference's example response.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_ListFoundationModels.html
 */
import { describe, expect, it } from 'vitest';
import { InvalidResponseError } from '../../errors/errors.js';
import type { CallContext } from '../../types/protocol.js';
import { loadDescriptor, makeContext } from '../anthropic-messages/test-helpers.js';
import { bedrockConverseAdapter as adapter } from './index.js';

const { descriptor } = loadDescriptor('bedrock');
const ctxAt = (baseURL: string): CallContext => ({ ...makeContext(descriptor, ''), baseURL });

/** A ListFoundationModels answer (fields as documented; values as us-east-1 returns them). */
export const FOUNDATION_MODELS = {
  modelSummaries: [
    {
      modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0',
      modelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
      modelName: 'Claude Sonnet 4.5',
      providerName: 'Anthropic',
      inputModalities: ['TEXT', 'IMAGE'],
      outputModalities: ['TEXT'],
      responseStreamingSupported: true,
      customizationsSupported: [],
      inferenceTypesSupported: ['INFERENCE_PROFILE'],
      modelLifecycle: { status: 'ACTIVE' },
    },
    {
      modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0',
      modelId: 'amazon.titan-embed-text-v2:0',
      modelName: 'Titan Text Embeddings V2',
      providerName: 'Amazon',
      inputModalities: ['TEXT'],
      outputModalities: ['EMBEDDING'],
      responseStreamingSupported: false,
      customizationsSupported: [],
      inferenceTypesSupported: ['ON_DEMAND'],
      modelLifecycle: { status: 'ACTIVE' },
    },
  ],
};

describe('bedrock listModelsRequest', () => {
  it('asks the control plane (bedrock.<region>), not the runtime host chat uses', () => {
    expect(adapter.listModelsRequest?.(ctxAt('https://bedrock-runtime.eu-west-3.amazonaws.com'))).toEqual({
      method: 'GET',
      url: 'https://bedrock.eu-west-3.amazonaws.com/foundation-models',
      headers: { accept: 'application/json' },
    });
  });

  it('maps FIPS and VPC endpoint runtime hosts to their control-plane twins', () => {
    const url = (base: string) => adapter.listModelsRequest?.(ctxAt(base)).url;
    expect(url('https://bedrock-runtime-fips.us-east-1.amazonaws.com')).toBe(
      'https://bedrock-fips.us-east-1.amazonaws.com/foundation-models',
    );
    expect(url('https://vpce-0abc.bedrock-runtime.us-east-1.vpce.amazonaws.com')).toBe(
      'https://vpce-0abc.bedrock.us-east-1.vpce.amazonaws.com/foundation-models',
    );
  });

  it('asks a custom base URL (a proxy) itself', () => {
    expect(adapter.listModelsRequest?.(ctxAt('http://127.0.0.1:4010/aws/')).url).toBe(
      'http://127.0.0.1:4010/aws/foundation-models',
    );
  });

  it('signs it for service bedrock in the region, over the control-plane host', async () => {
    const ctx: CallContext = {
      ...ctxAt('https://bedrock-runtime.us-west-2.amazonaws.com'),
      params: { region: 'us-west-2' },
      apiKey: 'AKIAIOSFODNN7EXAMPLE',
      env: {
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      },
    };
    const spec = adapter.listModelsRequest?.(ctx);
    if (spec === undefined || adapter.sign === undefined) throw new Error('bedrock lists models and signs');
    const signed = await adapter.sign(ctx, spec);
    expect(signed.url).toBe('https://bedrock.us-west-2.amazonaws.com/foundation-models');
    expect(signed.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/us-west-2\/bedrock\/aws4_request, SignedHeaders=accept;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
  });
});

describe('bedrock parseModels', () => {
  const ctx = ctxAt('https://bedrock-runtime.us-east-1.amazonaws.com');

  it('reads modelSummaries into listed models', () => {
    const models = adapter.parseModels?.(ctx, FOUNDATION_MODELS) ?? [];
    expect(models.map(({ raw: _raw, ...model }) => model)).toEqual([
      {
        id: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
        provider: 'bedrock',
        name: 'Claude Sonnet 4.5',
        ownedBy: 'Anthropic',
        inputModalities: ['text', 'image'],
        outputModalities: ['text'],
        streaming: true,
        inferenceTypes: ['INFERENCE_PROFILE'],
      },
      {
        id: 'amazon.titan-embed-text-v2:0',
        provider: 'bedrock',
        name: 'Titan Text Embeddings V2',
        ownedBy: 'Amazon',
        inputModalities: ['text'],
        outputModalities: ['embedding'],
        streaming: false,
        inferenceTypes: ['ON_DEMAND'],
      },
    ]);
    expect(models[0]?.raw).toBe(FOUNDATION_MODELS.modelSummaries[0]);
  });

  it('an empty region lists nothing; a minimal summary needs only modelId', () => {
    expect(adapter.parseModels?.(ctx, { modelSummaries: [] })).toEqual([]);
    expect(adapter.parseModels?.(ctx, { modelSummaries: [{ modelId: 'x.y-v1:0' }] })).toEqual([
      { id: 'x.y-v1:0', provider: 'bedrock', raw: { modelId: 'x.y-v1:0' } },
    ]);
  });

  it('refuses a body without modelSummaries, a summary without modelId and wrong field types, naming them', () => {
    const problem = (body: unknown) => {
      try {
        adapter.parseModels?.(ctx, body);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidResponseError);
        return (error as Error).message;
      }
      throw new Error('expected invalid-response');
    };
    expect(problem({ output: { message: {} } })).toContain('modelSummaries');
    expect(problem({ modelSummaries: [{ modelName: 'no id' }] })).toContain('modelSummaries[0].modelId');
    expect(problem({ modelSummaries: [{ modelId: 'a', inputModalities: 'TEXT' }] })).toContain(
      'modelSummaries[0].inputModalities',
    );
    expect(problem({ modelSummaries: [{ modelId: 'a', responseStreamingSupported: 'yes' }] })).toContain(
      'modelSummaries[0].responseStreamingSupported',
    );
  });
});
