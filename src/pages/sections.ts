// The notebook's table of contents, mirroring the lecture's two parts. The
// pages (home, coming) and the app shell (navigation, routes) both read it.

export interface Section {
  path: string;
  title: string;
  /** One line for the landing page. */
  summary: string;
  built: boolean;
}

export interface Part {
  title: string;
  sections: Section[];
}

export const PARTS: Part[] = [
  {
    title: 'Objective functions',
    sections: [
      {
        path: '/objectives/decoder-only',
        title: 'Decoder-only (GPT)',
        summary: 'Autoregressive maximum likelihood: train a tiny GPT and watch −log p fall token by token.',
        built: true,
      },
      {
        path: '/objectives/encoder-only',
        title: 'Encoder-only (BERT)',
        summary: 'Masked language modelling with the 80/10/10 rule, next-sentence prediction and RoBERTa.',
        built: true,
      },
      {
        path: '/objectives/encoder-decoder',
        title: 'Encoder-decoder (BART, T5)',
        summary: "BART's noising transformations and T5's span corruption, framed as text-to-text.",
        built: true,
      },
    ],
  },
  {
    title: 'Optimization',
    sections: [
      {
        path: '/optimization/sgd-adam',
        title: 'SGD and Adam',
        summary: 'Mini-batch SGD, momentum, and Adam with its moments and bias correction.',
        built: true,
      },
      {
        path: '/optimization/memory',
        title: 'Memory',
        summary: 'Why Adam needs 4x the parameter count, and how AdaFactor factors its second moment.',
        built: true,
      },
      {
        path: '/optimization/mixed-precision',
        title: 'Mixed precision',
        summary: 'FP16 underflow below 2⁻²⁴, FP32 master weights and loss scaling.',
        built: true,
      },
      {
        path: '/optimization/learning-rates',
        title: 'Learning rates',
        summary: 'Warmup and decay schedules, and why Transformers need warmup.',
        built: true,
      },
      {
        path: '/optimization/initialization',
        title: 'Initialization',
        summary: "Xavier, GPT-2's 1/√N for residual layers and T5's 1/√d in attention.",
        built: true,
      },
      {
        path: '/optimization/gpt3-recipe',
        title: 'The GPT-3 recipe',
        summary: 'Adam(0.9, 0.95), clipping, warmup, cosine decay, batch-size ramp and weight decay, ablated.',
        built: true,
      },
    ],
  },
];

export const ALL_SECTIONS: Section[] = PARTS.flatMap((p) => p.sections);

export function findSection(path: string): Section | undefined {
  return ALL_SECTIONS.find((s) => s.path === path);
}
