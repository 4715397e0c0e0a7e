import { memo } from 'react';
import { Equation, M } from '../../components/Equation';

/** Section 1: what a step has to keep, counted in numbers per parameter. */
export const Counting = memo(function Counting() {
  return (
    <section aria-labelledby="counting">
      <h2 id="counting">1. What an optimiser keeps between steps</h2>
      <div className="prose">
        <p>
          Training changes a parameter vector <M>{'\\theta'}</M> with <M>P</M> entries. Every optimiser needs two things
          of that size for a step: the current parameters, and the gradient <M>{'g_t'}</M> of the mini-batch loss. Plain
          stochastic gradient descent needs nothing more:
        </p>
      </div>
      <Equation
        tex={
          'g_t = \\frac{1}{|B_t|} \\sum_{x \\in B_t} \\nabla_\\theta \\big(-\\log p_\\theta(x)\\big), \\qquad \\theta_t \\leftarrow \\theta_{t-1} - \\eta\\, g_t.'
        }
        label="SGD step"
      />
      <div className="prose">
        <p>
          Adam adds two running averages with one entry per parameter each: <M>{'m_t'}</M> of the gradient (momentum, to
          keep moving in a consistent direction) and <M>{'v_t'}</M> of its square (a separate step size for every
          coordinate). Unlike the gradient, which is recomputed each step, both moments must survive from one step to
          the next:
        </p>
      </div>
      <Equation
        tex={
          'm_t \\leftarrow \\beta_1 m_{t-1} + (1 - \\beta_1)\\, g_t, \\quad v_t \\leftarrow \\beta_2 v_{t-1} + (1 - \\beta_2)\\, g_t^2, \\quad \\theta_t \\leftarrow \\theta_{t-1} - \\eta\\, \\frac{\\hat m_t}{\\sqrt{\\hat v_t} + \\epsilon}.'
        }
        label="Adam step"
      />
      <div className="prose">
        <p>Counting what is stored gives the lecture’s claim:</p>
      </div>
      <Equation
        tex={
          '\\underbrace{\\theta_t,\\ g_t}_{\\text{SGD: } 2P \\text{ numbers}} \\quad\\longrightarrow\\quad \\underbrace{\\theta_t,\\ g_t,\\ m_t,\\ v_t}_{\\text{Adam: } 4P \\text{ numbers}}'
        }
        label="SGD stores 2P numbers, Adam 4P"
      />
      <div className="prose">
        <p>
          SGD with momentum sits in between, with a velocity beside <M>{'\\theta'}</M> and <M>{'g'}</M> (3P). At 4 bytes
          per FP32 number, SGD needs 8 bytes per parameter and Adam 16. Adam’s two moments on their own take twice the
          memory of the model they train. The calculator below does this arithmetic for real models. It counts the state
          kept for the parameters only. The activations saved during the forward pass for the backward pass are not
          included, because they depend on the batch size and the sequence length, not only on the model.
        </p>
      </div>
    </section>
  );
});
