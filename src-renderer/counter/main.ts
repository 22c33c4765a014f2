import { mount } from 'svelte';
import Counter from './Counter.svelte';
import { counter } from './state/counter.svelte.js';
import './styles.css';

// The staff session lives in memory only: nothing of a previous shift may survive a reload.
try {
  sessionStorage.clear();
  localStorage.clear();
} catch {
  // unavailable storage holds nothing either
}

void counter.load();
const target = document.getElementById('app');
if (!target) throw new Error('missing #app');
mount(Counter, { target });
