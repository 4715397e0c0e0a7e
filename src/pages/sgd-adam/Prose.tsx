import { memo } from 'react';
import { Equation, M } from '../../components/Equation';

/** The lecture's SGD and Adam, in the notebook's words. */
export const SgdAdamProse = memo(function SgdAdamProse() {
  return (
    <section aria-labelledby="sgd">
      <h2 id="sgd">1. Stochastic gradient descent</h2>
      <div className="prose">
        <p>
          Every objective so far is a sum of <M>-\log p_\theta</M> terms over a dataset <M>{'\\sD'}</M>. The first way
          to minimise it: start from <M>\theta_0</M>, draw a mini-batch <M>B_t</M>, and step against the batch’s average
          gradient,
        </p>
      </div>
      <Equation
        tex={
          '\\theta_t \\leftarrow \\theta_{t-1} - \\eta\\, \\frac{1}{|B_t|} \\sum_{x \\in B_t} \\nabla_\\theta\\big(-\\log p_\\theta(x)\\big)'
        }
      />
      <div className="prose">
        <p>
          What we want from an optimiser: that <M>\theta</M> reaches a good solution <strong>quickly</strong>, that the
          arithmetic stays <strong>stable</strong>, and that it is <strong>memory efficient</strong>, because for a
          large model every extra number per parameter costs gigabytes. A small batch gives a noisy but cheap gradient;
          one learning rate <M>\eta</M> for every parameter is the weak point, since parameters whose gradients are tiny
          barely move while those with large ones overshoot.
        </p>
      </div>
      <h2 id="adam">2. Adam: momentum and a step size per parameter</h2>
      <div className="prose">
        <p>
          Adam keeps two running averages per parameter and takes four steps each update. With <M>{'m_0 = v_0 = 0'}</M>:
        </p>
      </div>
      <Equation
        tex={
          '\\begin{aligned} &\\text{1. gradient} && g_t = \\nabla_\\theta \\sO_{B_t}(\\theta_{t-1}) \\\\ &\\text{2. moments} && m_t = \\beta_1 m_{t-1} + (1 - \\beta_1)\\, g_t, \\quad v_t = \\beta_2 v_{t-1} + (1 - \\beta_2)\\, g_t^2 \\\\ &\\text{3. bias correction} && \\hat m_t = \\frac{m_t}{1 - \\beta_1^t}, \\quad \\hat v_t = \\frac{v_t}{1 - \\beta_2^t} \\\\ &\\text{4. update} && \\theta_t = \\theta_{t-1} - \\eta\\, \\frac{\\hat m_t}{\\sqrt{\\hat v_t} + \\epsilon} \\end{aligned}'
        }
        label="Adam's four steps"
      />
      <div className="prose">
        <p>
          <M>m</M> is momentum: a smoothed direction that keeps going through noise and shallow valleys. <M>v</M> tracks
          the typical squared gradient of each parameter, so <M>{'\\hat m / \\sqrt{\\hat v}'}</M> is roughly a unit-size
          step in a consistent direction whatever the gradient’s scale: a step size per parameter. Because both averages
          start at 0, they are too small for the first steps; dividing by <M>{'1 - \\beta^t'}</M> removes that bias
          (sections 5 and 6 show it live). The price is memory: SGD keeps <M>\theta</M> and <M>g</M>, twice the
          parameter count; Adam adds <M>m</M> and <M>v</M>, four times. The memory page computes what that means for
          real models.
        </p>
      </div>
    </section>
  );
});
