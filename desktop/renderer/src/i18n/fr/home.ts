// Français : l'écran d'accueil.
import type { home as en } from '../en/home.ts';
import type { Messages } from '../keys.ts';

export const home: Messages<typeof en> = {
  home: {
    title: 'Accueil',
    subtitle: 'Ce qu’il faut regarder en premier aujourd’hui.',
    seeAll: 'Tout voir',
    more: 'La suite dans la liste complète.',
    pending: {
      title: 'Interfaces en attente d’installation',
      empty: 'Aucune interface n’attend d’installation.',
    },
    ending: {
      title: 'Accès qui se terminent ce mois-ci',
      empty: 'Aucun accès ne se termine ce mois-ci.',
    },
    charges: {
      title: 'Frais du mois',
      empty: 'Aucun frais enregistré ce mois-ci.',
      count_one: 'frais',
      count_other: 'frais',
      total: 'au total ({{currency}})',
    },
    recent: {
      title: 'Dernières modifications',
    },
  },
};
