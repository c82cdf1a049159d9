// Les réglages de l'application de bureau : le serveur auquel elle parle.
import type { settings as en } from '../en/settings.ts';
import type { Messages } from '../keys.ts';

export const settings: Messages<typeof en> = {
  settings: {
    title: 'Réglages',
    subtitle: 'Le serveur auquel cette console de bureau parle.',
    firstStart: 'Choisissez le serveur revendeur avec lequel cette console travaille. L’application vérifie qu’il répond avant de le garder.',
    current: 'Serveur actuel',
    notChosen: '{{url}} (par défaut : aucun serveur choisi)',
    newServer: 'Adresse du serveur',
    newServerHint: 'https://… pour un serveur sur une autre machine ; http:// seulement pour cette machine (localhost).',
    check: 'Vérifier et enregistrer',
    checking: 'Vérification du serveur…',
    saved: '{{url}} répond et est enregistré : la console se rouvre dessus.',
    refused: 'Ce serveur n’a pas été gardé',
    loading: 'Lecture des réglages…',
    browserOnly: 'Dans le navigateur, la console parle au serveur qui la sert : il n’y a rien à choisir.',
  },
};
