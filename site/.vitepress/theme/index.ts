/**
 * The default theme, plus one component: <LiveFigure name="…" /> in a chapter mounts
 * the figure of that name (figures/index.ts) when the page is shown in a browser. On
 * GitHub, and for the snippet tests, the tag is an inert line.
 */

import type { Theme } from 'vitepress';
import DefaultTheme from 'vitepress/theme';
import { defineComponent, h, onBeforeUnmount, onMounted, ref } from 'vue';
import { mountFigure } from './figures/index.ts';
import './style.css';

const LiveFigure = defineComponent({
  name: 'LiveFigure',
  props: { name: { type: String, required: true } },
  setup(props) {
    const host = ref<HTMLElement | null>(null);
    let unmount: (() => void) | null = null;
    let gone = false;
    onMounted(async () => {
      const dispose = await mountFigure(props.name, host.value!);
      if (gone) dispose();
      else unmount = dispose;
    });
    onBeforeUnmount(() => {
      gone = true;
      unmount?.();
    });
    return () =>
      h('div', { ref: host, class: 'live-figure', 'data-figure': props.name }, [
        h('p', { class: 'figure-loading' }, 'Loading the live figure…'),
      ]);
  },
});

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('LiveFigure', LiveFigure);
  },
} satisfies Theme;
