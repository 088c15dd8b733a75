/* Gas quiz, stride 1 words: see gas_quiz.h. */
#define QUIZ_STRIDE 1
#include "gas_quiz.h"
