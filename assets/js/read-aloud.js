// "Read this to me" on a question page: the browser's own speech reads the question,
// its hint and its options aloud, in the page's language.
//
// Progressive enhancement: the button is in a <template> (inert, never shown) until
// this script finds speech synthesis in the browser and puts it on the page. Without
// JavaScript or without speech, there is no button and the page works as ever.
//
// A module of its own, loaded by question pages only (templates/young/question.html),
// so that it costs the first page nothing (its budget: bench/page_weight.py).

const template = document.querySelector('template.app-read-aloud')
const speech = window.speechSynthesis

if (template && speech && window.SpeechSynthesisUtterance) {
  const button = template.content.firstElementChild
  const form = template.closest('form') || document
  template.replaceWith(template.content)

  // A voice for the page's language, where the browser has one: "en" matches "en-GB".
  const voiceFor = (lang) => {
    const voices = speech.getVoices()
    const of = (voice) => voice.lang.toLowerCase().replace('_', '-')
    return voices.find((voice) => of(voice) === lang) ||
      voices.find((voice) => of(voice).split('-')[0] === lang.split('-')[0])
  }

  button.addEventListener('click', () => {
    const lang = (document.documentElement.lang || 'en').toLowerCase()
    // In the order the page shows them: the question, its hint (with who reads the
    // answer), any error, then each option. The pictures have no words to read.
    const parts = [...form.querySelectorAll(
      'legend, .govuk-label--m, .govuk-error-message, .govuk-hint, .govuk-radios__label, .govuk-checkboxes__label'
    )].map((element) => element.textContent.replace(/\s+/g, ' ').trim()).filter(Boolean)
    const voice = voiceFor(lang)
    speech.cancel() // a second press starts again from the question
    for (const text of parts) {
      const utterance = new window.SpeechSynthesisUtterance(text)
      utterance.lang = lang
      if (voice) utterance.voice = voice
      speech.speak(utterance)
    }
  })
}
