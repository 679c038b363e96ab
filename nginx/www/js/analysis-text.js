// Text of the admin page's analysis card (analysis.js), Korean and English, in the
// page's current language (i18n.js decides it and announces changes).

import { currentLang } from './i18n.js';

const TEXT = {
  en: {
    title: 'Classification images',
    intro: 'The classification image of a pack combines every reply (as rcicr does) and is redrawn as replies arrive. infoVal measures how much signal each participant\'s image holds: above 1.96 is unlikely under random responding.',
    pack: 'Pack',
    choose: 'Choose a pack…',
    scaling: 'Scaling',
    independent: 'Independent',
    autoscale: 'Autoscale (one scale for all images)',
    refresh: 'Refresh',
    packCI: 'Pack CI: {name}, {replies}',
    replyCI: 'Reply {id}',
    backToPack: 'Show the pack CI',
    downloadPNG: 'PNG',
    downloadCSV: 'infoVal CSV',
    colReply: 'Reply',
    colTrials: 'Answered trials',
    colInfoVal: 'infoVal',
    colCI: 'CI',
    showReply: 'Show reply {id}\'s classification image',
    noReplies: 'No replies yet: the classification image appears with the first reply.',
    computing: 'Computing… (the first infoVal of a pack takes a little longer)',
    updated: 'Updated {time}.',
    replies: (p) => (p.count === 1 ? '1 reply' : `${p.n} replies`),
    ciAlt: 'Classification image of {what}',
    baseUploaded: 'Drawn over the uploaded base face {file}.',
    baseRecovered: 'Drawn over the base face recovered from the pack’s images (2 × mean − 0.5, as rcicr made them).',
  },
  ko: {
    title: '분류 이미지',
    intro: '팩의 분류 이미지는 모든 응답을 합친 것(rcicr 방식)이며, 응답이 들어올 때마다 다시 그려집니다. infoVal은 참가자별 이미지에 담긴 신호의 크기로, 1.96보다 크면 무작위 응답으로는 나오기 어려운 값입니다.',
    pack: '팩',
    choose: '팩을 선택하세요…',
    scaling: '스케일',
    independent: '이미지별',
    autoscale: '공통 스케일(모든 이미지 같은 기준)',
    refresh: '새로 고침',
    packCI: '팩 분류 이미지: {name}, {replies}',
    replyCI: '응답 {id}',
    backToPack: '팩 분류 이미지 보기',
    downloadPNG: 'PNG',
    downloadCSV: 'infoVal CSV',
    colReply: '응답',
    colTrials: '응답한 시행',
    colInfoVal: 'infoVal',
    colCI: '분류 이미지',
    showReply: '응답 {id}의 분류 이미지 보기',
    noReplies: '아직 응답이 없습니다. 첫 응답이 들어오면 분류 이미지가 나타납니다.',
    computing: '계산 중… (팩의 첫 infoVal은 조금 더 걸립니다)',
    updated: '{time}에 갱신했습니다.',
    replies: (p) => `응답 ${p.n}개`,
    ciAlt: '{what}의 분류 이미지',
    baseUploaded: '올린 기준 얼굴 {file} 위에 그렸습니다.',
    baseRecovered: '팩 이미지에서 되살린 기준 얼굴(2 × 평균 − 0.5, rcicr 방식) 위에 그렸습니다.',
  },
};

/** This card's text in the page's language, with {name} placeholders filled. */
export function tr(key, params = {}) {
  const table = TEXT[currentLang()] ?? TEXT.en;
  const entry = table[key] ?? TEXT.en[key] ?? key;
  const text = typeof entry === 'function' ? entry(params) : entry;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}
