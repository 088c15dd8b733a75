/* Gas quiz, stride 2053 words: see gas_quiz.h. */
#define QUIZ_STRIDE 2053
#include "gas_quiz.h"
