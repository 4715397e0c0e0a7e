import { Equation, M } from '../../components/Equation';
import { Fp16Explorer } from './Fp16Explorer';

/** Section 1: the FP16 format, in prose and in the explorer. */
export function Intro({ memoryHref }: { memoryHref: string }) {
  return (
    <section aria-labelledby="format">
      <h2 id="format">1. Sixteen bits</h2>
      <div className="prose">
        <p>
          Training in 32-bit floats (FP32) is the safe default. Half precision (FP16) stores a number in 2 bytes instead
          of 4, so activations take half the memory and every matrix product moves half the data, and GPUs with tensor
          cores multiply FP16 matrices several times faster. Micikevicius, Narang et al. (2018) showed how to train in
          it without losing accuracy. The catch is the format itself: 1 sign bit, 5 exponent bits and 10 mantissa bits.
        </p>
      </div>
      <Equation
        tex={
          'x = \\begin{cases} (-1)^s \\, 2^{e - 15} \\, \\big(1 + \\tfrac{m}{1024}\\big) & 1 \\le e \\le 30 \\ \\text{(normal)} \\\\ (-1)^s \\, 2^{-14} \\, \\tfrac{m}{1024} & e = 0 \\ \\text{(subnormal, or zero)} \\\\ \\pm\\infty \\ \\text{or NaN} & e = 31 \\end{cases}'
        }
        label="the value of an FP16 bit pattern"
      />
      <div className="prose">
        <p>
          The largest finite value is <M>{'2^{15}(2 - 2^{-10}) = 65504'}</M>; the smallest positive one is the subnormal{' '}
          <M>{'2^{-24} \\approx 6 \\times 10^{-8}'}</M>. Rounding goes to the nearest representable number (ties to the
          even one), so anything at or below <M>{'2^{-25}'}</M>, half of the smallest step, becomes 0, and anything from
          65520 up becomes infinity. Between <M>{'2^{-24}'}</M> and <M>{'2^{-14}'}</M> the subnormals keep fewer and
          fewer significant bits. FP32 has 8 exponent bits and reaches down to about <M>{'10^{-45}'}</M>, which is why
          gradients are safe there. Type a number to see both patterns and what FP16 makes of it:
        </p>
      </div>
      <Fp16Explorer />
      <div className="prose">
        <p>
          Mixed precision keeps the speed and avoids the losses with three ingredients, each tried in the race at the
          top of the page: an FP32 <strong>master copy</strong> of the weights that receives the updates,{' '}
          <strong>loss scaling</strong> so that small gradients survive the trip through FP16, and FP32 for the few
          operations that need the range (sums such as softmax, layer norm and the loss). The savings are in the
          activations; the training state itself does not shrink, as the <a href={memoryHref}>memory page</a> counts.
        </p>
      </div>
    </section>
  );
}
