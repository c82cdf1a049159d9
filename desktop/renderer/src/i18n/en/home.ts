// English: the home screen.
export const home = {
  home: {
    title: 'Home',
    subtitle: 'What to check first today.',
    seeAll: 'See all',
    more: 'More in the full list.',
    pending: {
      title: 'Interfaces waiting for installation',
      empty: 'No interface is waiting for installation.',
    },
    ending: {
      title: 'Access ending this month',
      empty: 'No interface’s access ends this month.',
    },
    charges: {
      title: 'Charges this month',
      empty: 'No charge recorded this month.',
      count_one: 'charge',
      count_other: 'charges',
      total: 'in all ({{currency}})',
    },
    recent: {
      title: 'Latest changes',
    },
  },
} as const;
